#!/usr/bin/env node
// The `optiflow` command: runs the compiled CLI (built by `npm install` through `prepare`).
import { existsSync } from "node:fs";

const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("optiflow: not built yet, run `npm install` (or `npm run build`) first\n");
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
