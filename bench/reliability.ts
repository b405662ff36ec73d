import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { generateDemoDatabase } from "../src/demo/generate-demo.js";
import { checkCommandLine } from "./bench-flags.js";
import { OPTIFLOW_BIN } from "./http-client.js";
import { type LoadDuringBatchResult, loadDuringBatch } from "./load-during-batch.js";

/**
 * `npm run bench:reliability`: every API endpoint under 50 concurrent clients for 60 s while a
 * full batch runs on the 10,000-article demo base (a copy, so the load's writes stay out of the
 * main bench). Writes bench/RELIABILITY-RESULTS.md; docs/RELIABILITY.md quotes it.
 * `-- --clients N --seconds S` change the load.
 */
const WORK = join(process.cwd(), ".bench-work");
const TODAY = "2026-11-25";
const log = (line: string) => process.stderr.write(`${line}\n`);
/** `--clients 50` as `--clients=50`: the flags' documented form, checked as the others are. */
function joinedValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (/^--(clients|seconds)$/.test(arg) && next !== undefined) out.push(`${arg}=${argv[++i]}`);
    else out.push(arg);
  }
  return out;
}
const args = joinedValues(process.argv.slice(2));
checkCommandLine(
  args,
  "npm run bench:reliability --",
  "Every API endpoint under concurrent clients while a full batch runs on the 10,000-article\n" +
    "demo base. Writes bench/RELIABILITY-RESULTS.md.",
  [
    {
      name: "clients",
      value: "N",
      atLeast: 1,
      help: "concurrent clients (default 50); or --clients N",
    },
    {
      name: "seconds",
      value: "S",
      atLeast: 1,
      help: "seconds of load (default 60); or --seconds S",
    },
  ],
);
const option = (name: string, fallback: number) => {
  const value = args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  return value === undefined ? fallback : Number(value);
};

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const master = join(WORK, "demo-10000x1.db");
  if (!existsSync(master)) {
    log("reliability: generating the 10,000-article demo database");
    generateDemoDatabase(master, { articles: 10_000, stores: 1, years: 3, seed: 42, today: TODAY });
  }
  const copy = join(WORK, "reliability.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(copy + suffix, { force: true });
  const source = new Database(master, { readonly: true });
  await source.backup(copy);
  source.close();
  log("reliability: first batch on the copy (the pages need a published run)");
  const first = spawnSync(
    process.execPath,
    [OPTIFLOW_BIN, "ml", "batch", "--db", copy, "--today", TODAY, "--json"],
    { stdio: "ignore" },
  );
  if (first.status !== 0) throw new Error(`first batch failed with ${first.status}`);
  const result = await loadDuringBatch(
    copy,
    TODAY,
    option("--clients", 50),
    option("--seconds", 60),
    log,
  );
  const report = render(result);
  writeFileSync(new URL("../../bench/RELIABILITY-RESULTS.md", import.meta.url), report);
  process.stdout.write(report);
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");

function render(r: LoadDuringBatchResult): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const rows = [...r.endpoints, r.total].map(
    (e) =>
      `| ${e.endpoint} | ${e.requests} | ${e.errors} | ${ms(e.p50)} | ${ms(e.p95)} | ${ms(e.p99)} | ${ms(e.max)} |`,
  );
  return [
    "# Load while the batch runs",
    "",
    `Produced by \`npm run bench:reliability\` on ${new Date().toISOString().slice(0, 10)}; overwritten on each run.`,
    `Machine: ${machine} (shared and noisy). Server (\`optiflow serve\`), batch (\`optiflow ml batch\`, 10 nice steps below the server, as its scheduler starts it) and clients are three processes on the same 2 cores.`,
    "",
    `${r.clients} concurrent clients (node:http keep-alive) for ${r.seconds} s and on until 5 s after the batch has published (${r.total.requests} requests in all), each cycling over every API endpoint (reads and writes), on a copy of the 10,000-article × 1 store × 3 years demo base, while a full batch recomputes and publishes on the same file. An error is any answer other than 2xx, or a failed connection.`,
    "",
    `Batch: ${r.batch.seconds.toFixed(1)} s under this load, exit code ${r.batch.exitCode} (0 = published), all of it under load (${r.batch.overlapSeconds.toFixed(1)} s). Answers of \`GET /api/alerts\` per published run: ${Object.entries(
      r.answersByRun,
    )
      .map(([run, n]) => `run ${run}: ${n}`)
      .join(", ")} (each answer is wholly one run or the next: publication is one UPDATE).`,
    "",
    "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    ...(r.errorSamples.length > 0
      ? ["Error samples:", "", ...r.errorSamples.map((e) => `- ${e}`), ""]
      : []),
  ].join("\n");
}

await main();
