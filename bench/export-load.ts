import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { httpRequest, keepAliveAgent, percentile, startServer } from "./http-client.js";

/**
 * `npm run bench:export`: what a whole-chain forecast export costs, and what it costs the pages.
 * A demo chain (2,000 articles × 2 stores, one published batch) served by `optiflow serve` in its
 * own process; each download read to the end, as a browser saves it. The pages' latency is
 * measured alone, then while two clients download every forecast again and again: the ratio of
 * the two, in one run, is what the export does to a store manager's morning.
 */
const ARTICLES = Number(process.env.EXPORT_BENCH_ARTICLES ?? 2000);
const STORES = 2;
const TODAY = "2026-12-05";
const PAGES = ["/api/alerts?level=CRITIQUE", "/api/dashboard", "/api/predictions"];
const SECONDS = 8;
const OUTPUT = new URL("../../bench/EXPORT-RESULTS.md", import.meta.url).pathname;
const BIN = new URL("../../bin/optiflow.js", import.meta.url).pathname;
/** Where `optiflow serve` writes the CSV depends on it: see src/server/forecast-export-in-worker.ts. */
const EXPORT_WORKER = new URL("../src/server/forecast-export-worker.js", import.meta.url);
/** Loaded into the CLI's process to say its peak memory (bench/print-peak-rss.ts). */
const PRINT_PEAK = new URL("./print-peak-rss.js", import.meta.url);

function optiflow(...args: string[]): void {
  const child = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`optiflow ${args.join(" ")}: ${child.stderr}`);
}

/**
 * The CLI's `predictions export`'s peak memory, to stdout (redirected to a file) and with
 * `--output`: a command that holds its output until the disk takes it grows with the file.
 */
function cliPeakMb(db: string, format: string, toOutput: boolean, dir: string): number {
  const file = join(dir, `cli-export.${format}`);
  const fd = openSync(toOutput ? "/dev/null" : file, "w");
  try {
    const args = ["predictions", "export", "--db", db, "--format", format];
    const child = spawnSync(
      process.execPath,
      ["--import", PRINT_PEAK.href, BIN, ...args, ...(toOutput ? ["--output", file] : [])],
      { stdio: ["ignore", fd, "pipe"], encoding: "utf8" },
    );
    const peak = /peak-rss-mb (\d+)/.exec(child.stderr)?.[1];
    if (child.status !== 0 || !peak) throw new Error(`optiflow ${args.join(" ")}: ${child.stderr}`);
    return Number(peak);
  } finally {
    closeSync(fd);
  }
}

interface Download {
  ms: number;
  bytes: number;
  rows: number;
}

/** One whole download, read to its end as a browser saves it: bytes as sent, rows once inflated. */
function download(base: string, encoding: string): Promise<Download> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/predictions/export`,
      { headers: { "accept-encoding": encoding } },
      (response) => {
        if (response.statusCode !== 200)
          reject(new Error(`export answered ${response.statusCode}`));
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const sent = Buffer.concat(chunks);
          const ms = performance.now() - started;
          const text = (
            response.headers["content-encoding"] === "gzip" ? gunzipSync(sent) : sent
          ).toString("utf8");
          resolve({ ms, bytes: sent.length, rows: text.split("\r\n").length - 2 });
        });
        response.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/**
 * The pages' latencies over `SECONDS`, 4 clients, optionally while `busy` runs beside, and how
 * many whole downloads ended meanwhile: what the pages' share of the cores costs the downloads.
 */
async function pageLatencies(
  base: string,
  busy: boolean,
): Promise<{ latencies: number[]; downloads: number }> {
  const agent = keepAliveAgent(4);
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let downloads = 0;
  const downloaders = busy
    ? Array.from({ length: 2 }, async (_, i) => {
        while (performance.now() < end) {
          await download(base, i === 0 ? "gzip" : "identity");
          downloads++;
        }
      })
    : [];
  const clients = Array.from({ length: 4 }, async (_, i) => {
    while (performance.now() < end) {
      const started = performance.now();
      const answer = await httpRequest(agent, base + PAGES[i % PAGES.length], {
        headers: { "accept-encoding": "gzip" },
      });
      if (answer.status !== 200) throw new Error(`a page answered ${answer.status}`);
      latencies.push(performance.now() - started);
    }
  });
  await Promise.all([...clients, ...downloaders]);
  agent.destroy();
  if (busy && downloads === 0) throw new Error("no export finished during the measure");
  return { latencies: latencies.sort((a, b) => a - b), downloads };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const ms = (v: number) => v.toFixed(1);

async function main(): Promise<void> {
  const dir = join(tmpdir(), "optiflow-export-bench");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = join(dir, "chain.db");
  process.stderr.write(`demo base: ${ARTICLES} articles × ${STORES} stores, then one batch\n`);
  optiflow(
    "demo",
    "--db",
    db,
    "--articles",
    String(ARTICLES),
    "--stores",
    String(STORES),
    "--today",
    TODAY,
  );
  optiflow("ml", "batch", "--db", db, "--today", TODAY);
  const server = await startServer(db);
  try {
    const downloads: Record<string, Download[]> = { identity: [], gzip: [] };
    for (let i = 0; i < 3; i++)
      for (const encoding of ["identity", "gzip"])
        downloads[encoding]!.push(await download(server.base, encoding));
    process.stderr.write("the CLI's export, to stdout and to --output\n");
    const cli = ["csv", "json"].map((format) => ({
      format,
      stdout: cliPeakMb(db, format, false, dir),
      output: cliPeakMb(db, format, true, dir),
    }));
    process.stderr.write("pages alone, then beside two downloads\n");
    const alone = (await pageLatencies(server.base, false)).latencies;
    const { latencies: beside, downloads: besideDownloads } = await pageLatencies(
      server.base,
      true,
    );
    const lines = [
      "# Forecast export benchmark results",
      "",
      `Produced by \`npm run bench:export\` on ${new Date().toISOString().slice(0, 10)}; this file is overwritten on each run.`,
      `Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version} (shared and noisy: compare within one run).`,
      `Base: \`optiflow demo --articles ${ARTICLES} --stores ${STORES} --today ${TODAY}\`, one \`ml batch --today ${TODAY}\`; \`optiflow serve\` in its own process.`,
      `The CSV is written ${existsSync(EXPORT_WORKER) ? "on a worker thread per download" : "on the server's thread (dist/src/server/forecast-export-worker.js absent)"}.`,
      "",
      "## Every published forecast, `GET /api/predictions/export` (median of 3 downloads)",
      "",
      "| encoding | rows | bytes sent | seconds |",
      "|---|---:|---:|---:|",
      ...Object.entries(downloads).map(
        ([encoding, runs]) =>
          `| ${encoding} | ${runs[0]!.rows.toLocaleString("en")} | ${median(runs.map((r) => r.bytes)).toLocaleString("en")} | ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} |`,
      ),
      "",
      `## The pages meanwhile (${PAGES.join(", ")}; 4 clients, ${SECONDS} s each)`,
      "",
      "| while | requests | p50 ms | p95 ms | p99 ms |",
      "|---|---:|---:|---:|---:|",
      `| nothing else | ${alone.length} | ${ms(percentile(alone, 50))} | ${ms(percentile(alone, 95))} | ${ms(percentile(alone, 99))} |`,
      `| two clients download every forecast, again and again | ${beside.length} | ${ms(percentile(beside, 50))} | ${ms(percentile(beside, 95))} | ${ms(percentile(beside, 99))} |`,
      "",
      `p95 beside the downloads / p95 alone: **${(percentile(beside, 95) / percentile(alone, 95)).toFixed(1)}×**. Whole downloads ended meanwhile: ${besideDownloads} (both clients, ${SECONDS} s).`,
      "",
      "## `optiflow predictions export`, every forecast: peak resident memory (MB)",
      "",
      "| format | to stdout (redirected to a file) | `--output FILE` |",
      "|---|---:|---:|",
      ...cli.map((c) => `| ${c.format} | ${c.stdout} | ${c.output} |`),
      "",
    ];
    writeFileSync(OUTPUT, lines.join("\n"));
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
