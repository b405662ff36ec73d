import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { addDays } from "../src/domain/calendar/days.js";
import { median } from "./accuracy-report.js";
import { type EndpointLoad, loadTestApi } from "./api-load.js";
import { checkCommandLine } from "./bench-flags.js";
import { freshCopy } from "./fresh-copy.js";

/**
 * `npm run bench:scale` (not a test; 10–15 minutes here, the chain's generation included):
 * issue 17's scale targets, every night and every generation in its own process so that its
 * time and peak memory are its own.
 *
 * 1. Consecutive nights on 10,000 articles × 1 store × 3 years, `--today` advancing day by day
 *    over the last weeks of the history: night 1 reads everything (`--full`), the others are
 *    incremental; seconds, peak RSS, database size and forecast rows after each night.
 * 2. A chain of 5 stores × 10,000 articles: demo generation (time, file size, peak RSS), night
 *    1 and night 2, then the page APIs with 20 concurrent clients.
 *
 *    Then night 2, the night before the last and the last night again, in turn, each from a
 *    copy of the base as it was the evening before: measured on one machine state, repeatedly.
 * Flags: `--nights=N` (default 30), `--repeats=N` (default 5; 0: none), `--no-chain`. Writes
 * bench/SCALE-RESULTS.md.
 */
const args = process.argv.slice(2);
checkCommandLine(
  args,
  "npm run bench:scale --",
  "Issue 17's scale targets: consecutive nights on 10,000 articles, then a chain of 5 stores.\n" +
    "Writes bench/SCALE-RESULTS.md (about 18 minutes with the defaults).",
  [
    { name: "nights", value: "N", atLeast: 2, help: "consecutive nights (default 30)" },
    { name: "repeats", value: "N", atLeast: 0, help: "repeats of the last nights (default 5)" },
    { name: "no-chain", help: "no 5-store chain" },
  ],
);
const NIGHTS = Number(args.find((a) => a.startsWith("--nights="))?.slice(9) ?? 30);
const REPEATS = Number(args.find((a) => a.startsWith("--repeats="))?.slice(10) ?? 5);
const WORK = join(process.cwd(), ".bench-work");
const TODAY = "2026-11-25";
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Night {
  today: string;
  seconds: number;
  maxRssMb: number;
  published: boolean;
  steps: { step: string; seconds: number; counts: Record<string, unknown> | null }[];
  sizeMb: number;
  forecastRows: { daily: number; weekly: number };
}

interface Generation {
  seconds: number;
  maxRssMb: number;
  rows: Record<string, number>;
  sizeMb: number;
}

function runChild<T>(script: string, childArgs: string[]): T {
  const child = spawnSync(
    process.execPath,
    [new URL(script, import.meta.url).pathname, ...childArgs],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  if (child.status !== 0) throw new Error(`${script} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}

/** The database as it sits on disk: the file and its write-ahead log. */
function sizeMb(path: string): number {
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  return (size(path) + size(`${path}-wal`)) / 2 ** 20;
}

/** Daily forecast rows (the published run's) and weekly totals kept for past runs. */
function forecastRows(path: string): { daily: number; weekly: number } {
  const db = new Database(path, { readonly: true });
  try {
    const count = (table: string) =>
      db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    return { daily: count("optiflow_forecasts"), weekly: count("optiflow_forecast_weeks") };
  } finally {
    db.close();
  }
}

function night(path: string, today: string, full: boolean): Night {
  const result = runChild<Omit<Night, "today" | "sizeMb" | "forecastRows">>("./batch-child.js", [
    path,
    today,
    ...(full ? ["full"] : []),
  ]);
  return { ...result, today, sizeMb: sizeMb(path), forecastRows: forecastRows(path) };
}

function generate(path: string, articles: number, stores: number): Generation {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
  const result = runChild<Omit<Generation, "sizeMb">>("./demo-child.js", [
    path,
    String(articles),
    String(stores),
    TODAY,
  ]);
  return { ...result, sizeMb: sizeMb(path) };
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const started = performance.now();
  const base = join(WORK, "demo-10000x1.db");
  let baseGeneration: Generation | null = null;
  if (!existsSync(base)) {
    log("bench:scale: generating 10,000 articles × 1 store");
    baseGeneration = generate(base, 10_000, 1);
  }
  const nightsPath = join(WORK, "scale-nights.db");
  freshCopy(base, nightsPath);
  const startSize = sizeMb(nightsPath);
  const nights: Night[] = [];
  // Night 2, the night before the last and the last night are run again (repeatNights): the
  // base as it was the evening before each is kept for it.
  const repeated = REPEATS > 0 && NIGHTS > 3 ? [1, NIGHTS - 2, NIGHTS - 1] : [];
  const before = new Map(repeated.map((k) => [k, join(WORK, `scale-before-${k + 1}.db`)]));
  for (let k = 0; k < NIGHTS; k++) {
    const today = addDays(TODAY, k - NIGHTS + 1);
    const copy = before.get(k);
    if (copy) freshCopy(nightsPath, copy);
    log(`bench:scale: night ${k + 1}/${NIGHTS} (${today})`);
    nights.push(night(nightsPath, today, k === 0));
  }
  const repeats = repeatNights(nights, before);
  let chain: { generation: Generation; nights: Night[]; load: EndpointLoad[] } | null = null;
  if (!args.includes("--no-chain")) {
    const chainPath = join(WORK, "demo-10000x5.db");
    log("bench:scale: generating 5 stores × 10,000 articles");
    const generation = generate(chainPath, 10_000, 5);
    log("bench:scale: chain night 1");
    const first = night(chainPath, TODAY, true);
    log("bench:scale: chain night 2");
    const second = night(chainPath, addDays(TODAY, 1), false);
    log("bench:scale: page APIs, 20 clients");
    const load = await loadTestApi(chainPath, 20, 5);
    chain = { generation, nights: [first, second], load };
  }
  const minutes = (performance.now() - started) / 60_000;
  writeFileSync(
    join(process.cwd(), "bench", "SCALE-RESULTS.md"),
    report(minutes, startSize, baseGeneration, nights, repeats, chain),
  );
  log(`bench:scale: done in ${minutes.toFixed(1)} min, bench/SCALE-RESULTS.md written`);
}

/** Per night (its index in the 30), its runs again. */
type Repeats = Map<number, Night[]>;

/**
 * Some nights again, in turn, each on a fresh copy of the base as it was the evening before it:
 * a comparison between them that the machine's drift over the 30 nights cannot make, repeated
 * (the order rotates, so that no night always runs first). The copies are removed afterwards.
 */
function repeatNights(nights: Night[], before: Map<number, string>): Repeats | null {
  if (before.size === 0) return null;
  const copy = join(WORK, "scale-repeat.db");
  const result: Repeats = new Map([...before.keys()].map((k) => [k, []]));
  const order = [...before.keys()];
  for (let r = 0; r < REPEATS; r++) {
    for (const k of [...order.slice(r % order.length), ...order.slice(0, r % order.length)]) {
      const today = nights[k]?.today as string;
      log(`bench:scale: repeat ${r + 1}/${REPEATS}, night ${k + 1} (${today})`);
      freshCopy(before.get(k) as string, copy);
      result.get(k)?.push(night(copy, today, false));
    }
  }
  for (const path of [copy, ...before.values()])
    for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
  return result;
}

function step(n: Night, id: string): { seconds: number; counts: Record<string, unknown> } {
  const s = n.steps.find((x) => x.step === id);
  return { seconds: s?.seconds ?? Number.NaN, counts: s?.counts ?? {} };
}

function nightRow(label: string, n: Night): string {
  const two = step(n, "2");
  const history = two.counts.history as { mode?: string } | undefined;
  const c = two.counts as Record<string, number | undefined>;
  return `| ${label} | ${n.today} | ${history?.mode ?? "–"} | **${n.seconds.toFixed(1)}** | ${step(n, "1").seconds.toFixed(1)} | ${two.seconds.toFixed(1)} (${c.readSeconds ?? "–"} / ${c.forecastSeconds ?? "–"} / ${c.writeSeconds ?? "–"}) | ${step(n, "4").seconds.toFixed(1)} | ${promiseChecks(n)} | ${n.maxRssMb.toFixed(0)} | ${n.sizeMb.toFixed(0)} | ${n.forecastRows.daily.toLocaleString("en-US")} + ${n.forecastRows.weekly.toLocaleString("en-US")} | ${n.published} |`;
}

/** Step 5's seconds and the past nights' promises it checked (their periods now over). */
function promiseChecks(n: Night): string {
  const five = step(n, "5");
  const checked = five.counts.servicePeriodsChecked;
  const count = typeof checked === "number" ? checked.toLocaleString("en-US") : "–";
  return `${five.seconds.toFixed(1)} (${count})`;
}

const NIGHT_HEADER = [
  "| night | today | history | wall s | step 1 s | step 2 s (read / forecast / write) | step 4 s | step 5 s (promised periods checked) | peak RSS MB | base MB | forecast rows: daily + weekly | published |",
  "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
];

function repeatLines(repeats: Repeats | null): string[] {
  if (!repeats) return [];
  const [first, ...others] = [...repeats.entries()];
  if (!first) return [];
  const medianOf = (runs: Night[]) => median(runs.map((n) => n.seconds));
  const described = [...repeats.entries()].map(
    ([k, runs]) =>
      `night ${k + 1}: ${runs.map((n) => n.seconds.toFixed(1)).join(", ")} s, median **${medianOf(runs).toFixed(1)} s**`,
  );
  const ratios = others.map(
    ([k, runs]) =>
      `night ${k + 1} / night ${first[0] + 1} = **${(medianOf(runs) / medianOf(first[1])).toFixed(2)}**`,
  );
  return [
    `### Nights ${[...repeats.keys()].map((k) => k + 1).join(", ")} again, in turn`,
    "",
    `Each run on a fresh copy of the base as it was the evening before that night, the nights in turn (the order rotating), ${first[1].length} times: measured on one machine state, which the 30 nights in a row are not. ${capitalised(described.join("; "))}. ${capitalised(ratios.join("; "))}.`,
    "",
    ...NIGHT_HEADER,
    ...[...repeats.entries()].flatMap(([k, runs]) =>
      runs.map((n, r) => nightRow(`${k + 1} (run ${r + 1})`, n)),
    ),
    "",
  ];
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function report(
  minutes: number,
  startSize: number,
  baseGeneration: Generation | null,
  nights: Night[],
  repeats: Repeats | null,
  chain: { generation: Generation; nights: Night[]; load: EndpointLoad[] } | null,
): string {
  const steady = nights.slice(1).map((n) => n.seconds);
  const lines = [
    "# Scale benchmark results",
    "",
    `Produced by \`npm run bench:scale\` on ${new Date().toISOString().slice(0, 10)} in ${minutes.toFixed(1)} minutes; this file is overwritten on each run.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model.split(" ").slice(0, 2).join(" ") ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version} (shared and noisy: compare within one run).`,
    "Every night and every generation ran in its own process (`bench/batch-child.ts`, `bench/demo-child.ts`); peak RSS is that process's.",
    "Step 1 runs alongside steps 3 to C, on one worker thread: its seconds overlap theirs, and the steps' seconds do not add up to the night's.",
    "Step 5 checks the service levels promised by the runs of past Mondays (one a week, up to 8 weeks) over the periods now over; in brackets, how many it checked.",
    "",
    `## ${nights.length} consecutive nights, 10,000 articles × 1 store × 3 years`,
    "",
    `\`--today\` advances a day per night over the last ${nights.length} days of the demo history (${nights[0]?.today} → ${nights.at(-1)?.today}). Night 1 reads the whole history (\`--full\`); the others read Optiflow's checked copy and the recent weeks. Base before night 1: ${startSize.toFixed(0)} MB${baseGeneration ? ` (generated in ${baseGeneration.seconds.toFixed(1)} s)` : ""}.`,
    "",
    `Steady state (nights 2–${nights.length}): median **${median(steady).toFixed(1)} s**, worst ${Math.max(...steady).toFixed(1)} s; night 2 ${nights[1]?.seconds.toFixed(1) ?? "–"} s, night ${nights.length} ${nights.at(-1)?.seconds.toFixed(1) ?? "–"} s. Issue 17 targets: night 1 ≤ 30 s, night 2 ≤ 15 s, peak RSS ≤ 1 GiB, night 30 no slower than night 2.`,
    "",
    ...NIGHT_HEADER,
    ...nights.map((n, k) => nightRow(String(k + 1), n)),
    "",
    ...repeatLines(repeats),
  ];
  if (chain) {
    const g = chain.generation;
    lines.push(
      "## A chain: 5 stores × 10,000 articles (50,000 series)",
      "",
      `\`optiflow demo --stores 5 --articles 10000\` (streamed to disk): **${g.seconds.toFixed(0)} s**, ${g.sizeMb.toFixed(0)} MB, peak RSS ${g.maxRssMb.toFixed(0)} MB; ${(g.rows.ventes ?? 0).toLocaleString("en-US")} sales rows, ${(g.rows.stocks_historique ?? 0).toLocaleString("en-US")} stock-history rows.`,
      "",
      "Issue 17 targets: night 2 ≤ 75 s, peak RSS ≤ 1.5 GiB, page APIs p95 ≤ 50 ms with 20 clients.",
      "",
      ...NIGHT_HEADER,
      ...chain.nights.map((n, k) => nightRow(String(k + 1), n)),
      "",
      "Page APIs on the chain: 20 concurrent keep-alive clients on loopback, 5 s per endpoint, against `optiflow serve` in its own process (clients and server share the 2 cores).",
      "",
      "| endpoint | encoding | requests | errors | cold ms | p50 ms | p95 ms | p99 ms |",
      "|---|---|---:|---:|---:|---:|---:|---:|",
      ...chain.load.map(
        (l) =>
          `| ${l.path} | ${l.encoding} | ${l.requests} | ${l.errors} | ${l.coldMs.toFixed(0)} | ${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.p99.toFixed(1)} |`,
      ),
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

await main();
