#!/usr/bin/env node
// `npm start`: the newcomer's path. Creates a demo database when none exists, then shows it.
// Each step is an ordinary `optiflow` command, so nothing here is hidden from the CLI.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const bin = new URL("../bin/optiflow.js", import.meta.url).pathname;
const dbPath = resolve(process.env.OPTIFLOW_DB_PATH || "optiflow.db");

function optiflow(...args) {
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(dbPath)) {
  console.log(`No database at ${dbPath}: creating a demo one (500 articles, 2 stores, 3 years)…`);
  optiflow("demo", "--db", dbPath);
}
optiflow("db", "stats", "--db", dbPath);
