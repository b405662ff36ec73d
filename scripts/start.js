#!/usr/bin/env node
// `npm start`: the newcomer's path. Creates a demo database when none exists, runs a first batch
// when nothing is published yet, then serves the pages. Each step is an ordinary `optiflow`
// command, so nothing here is hidden from the CLI.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const bin = new URL("../bin/optiflow.js", import.meta.url).pathname;
const dbPath = resolve(process.env.OPTIFLOW_DB_PATH || "optiflow.db");

function optiflow(...args) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    stdio: ["inherit", "pipe", "inherit"],
    encoding: "utf8",
  });
  return { status: result.status ?? 1, stdout: result.stdout };
}

function must(result) {
  if (result.status !== 0) process.exit(result.status);
  return result;
}

if (!existsSync(dbPath)) {
  console.log(`No database at ${dbPath}: creating a demo one (500 articles, 2 stores, 3 years)…`);
  must(optiflow("demo", "--db", dbPath));
}
if (quietly("alerts", "status", "--db", dbPath, "--json") !== 0) {
  console.log("No published results yet: running a first batch…");
  must(optiflow("ml", "batch", "--db", dbPath));
}
const serve = spawnSync(process.execPath, [bin, "serve", "--db", dbPath], { stdio: "inherit" });
process.exit(serve.status ?? 0);
