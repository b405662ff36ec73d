#!/usr/bin/env node
// `npm start`: the newcomer's path. Creates a demo database when none exists, runs a first batch
// when nothing is published yet, then serves the pages. Each step is an ordinary `optiflow`
// command, so nothing here is hidden from the CLI.
import { spawn, spawnSync } from "node:child_process";
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

/** Exit status only: used to ask a question (is anything published?) without printing. */
function quietly(...args) {
  return spawnSync(process.execPath, [bin, ...args], { stdio: "ignore" }).status ?? 1;
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
  // The Dashboard's measured savings come from a replay, which the server runs once a week
  // after its nightly batch: a new base gets its first one now rather than after a week.
  console.log("Replaying the last 13 weeks to measure the savings the Dashboard shows…");
  // Not a reason to stay closed: a base with too little history cannot be replayed yet.
  if (optiflow("simulate", "--db", dbPath, "--json").status !== 0)
    console.log("No replay for now (above: why); the server will try again after its batch.");
}
// The server as a child whose stop signals are passed on: a service manager stopping this
// script (SIGTERM to its pid alone) must not leave the server running.
const serve = spawn(process.execPath, [bin, "serve", "--db", dbPath], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => serve.kill(signal));
serve.on("exit", (code) => process.exit(code ?? 0));
