import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, join, resolve } from "node:path";
import { generateDemoDatabase } from "../src/demo/generate-demo.js";
import { addDays } from "../src/domain/calendar/days.js";
import type { PipelineSpec } from "../src/domain/forecast/pipeline-spec.js";
import {
  accuracyTables,
  barHardnessTable,
  designTable,
  pooledErrorTable,
  speedTable,
  targetsTable,
  windowTables,
} from "./accuracy-report.js";
import { bundleSizes, type EndpointLoad, loadTestApi } from "./api-load.js";
import { checkCommandLine } from "./bench-flags.js";
import { csvFolders, loadCsvFolder } from "./datasets/csv-folder.js";
import { loadLegacyPanel } from "./datasets/demo-database.js";
import { loadItalianGrocery } from "./datasets/italian-grocery.js";
import { loadM5NineStores, loadM5Tx3Foods } from "./datasets/m5-walmart.js";
import { type BenchPanel, SHARED_DATA } from "./datasets/panel.js";
import { loadPeytonPanel } from "./datasets/peyton-manning.js";
import { freshCopy } from "./fresh-copy.js";
import { setsThroughBatch, throughBatchLines } from "./panel-through-batch.js";
import { peytonThroughBatch } from "./peyton-through-batch.js";
import { PIPELINE_VARIANTS } from "./pipeline-variants.js";
import { type ReplayRow, replayLines, replayPrecision } from "./precision-replay.js";
import { loadAugurs } from "./references/augurs-models.js";
import { POOLED_GBT } from "./references/pooled-gbt.js";
import { ReferencePool, type RollingResult, runRollingBench } from "./rolling-bench.js";
import { HORIZON, quickWindows, rollingWindows } from "./rolling-origins.js";
import { promiseTable } from "./service-promise.js";

/**
 * `npm run bench` (not a test): the accuracy protocol of SPEC §5 on every data set of
 * ../shared/data and a demo base (rolling origins, tuning and test halves), Prophet's example
 * through the real batch, the 10,000-article scale point and the page APIs under load; written to
 * bench/RESULTS.md with the command and the machine. Absent data sets are skipped.
 *
 * Flags: `npm run bench -- --help` (the list below, checked before anything runs). Every
 * folder of ../shared/data without a loader of its own is read as a CSV set
 * (bench/datasets/csv-folder.ts), as are `--data=` folders; with `--data=`, the report goes to
 * stdout and `--out` only.
 */
const args = process.argv.slice(2);
checkCommandLine(
  args,
  "npm run bench --",
  "SPEC §5's accuracy protocol on every data set of ../shared/data and a demo base,\n" +
    "Peyton's example and the sets through the batch, the displayed precision replayed,\n" +
    "the 10,000-article scale point and the page APIs under load.\n" +
    "Writes bench/RESULTS.md (13-15 minutes).",
  [
    { name: "quick", help: "a third of the windows, small samples, no scale point" },
    { name: "sets", value: "a,b", help: "only those sets, by folder name (demo: the demo base)" },
    { name: "half", value: "tuning|test", oneOf: ["tuning", "test"], help: "one half only" },
    { name: "no-slow", help: "no augurs references and no pooled trees" },
    { name: "tuning-refs", help: "the slow references on the tuning half too" },
    {
      name: "sample",
      value: "N",
      atLeast: 1,
      help: "the slow references on N series of each set (default 144, 12 with --quick)",
    },
    { name: "variants", help: "every pipeline variant of bench/pipeline-variants.ts too" },
    { name: "only-variants", value: "a,b", help: "those variants only (repeatable)" },
    { name: "no-scale", help: "no 10,000-article scale point" },
    { name: "no-replay", help: "no replay of the displayed precision on the demo base" },
    { name: "no-batch-check", help: "no run of the sets through the product's own path" },
    { name: "batch-country", value: "C", help: "that run with the setting country at C (none)" },
    {
      name: "batch-windows",
      value: "N",
      atLeast: 1,
      help: "that run at each of the last N test windows (default 1)",
    },
    {
      name: "data",
      value: "DIR",
      help: "one more set in the public sets' CSV format (repeatable)",
    },
    { name: "out", value: "FILE", help: "the report there, bench/RESULTS.md left as it is" },
  ],
);
const quick = args.includes("--quick");
const sampleArg = args.find((a) => a.startsWith("--sample="))?.slice(9);
const sampleSize = sampleArg ? Number(sampleArg) : quick ? 12 : 144;
const withVariants = args.includes("--variants");
const onlySets =
  args
    .find((a) => a.startsWith("--sets="))
    ?.slice(7)
    .split(",") ?? null;
const WORK = join(process.cwd(), ".bench-work");
const TODAY = "2026-11-25";
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The sets of ../shared/data with a loader of their own, by folder. */
const OWN_LOADERS: readonly [string, () => BenchPanel | null][] = [
  ["italian-grocery", loadItalianGrocery],
  ["m5-walmart-tx3-foods", loadM5Tx3Foods],
  ["m5-walmart-9-stores", loadM5NineStores],
  ["prophet-examples", loadPeytonPanel],
];

/** `--batch-country=none`: the sets through the batch with that `country` setting. */
const batchCountry = args.find((a) => a.startsWith("--batch-country="))?.slice(16);

/** The folders `--data=DIR` names (repeatable). */
const DATA_FOLDERS = args.filter((a) => a.startsWith("--data=")).map((a) => resolve(a.slice(7)));

/**
 * Folders in the public sets' CSV format (bench/datasets/csv-folder.ts): every other folder of
 * ../shared/data, then those of `--data=`, by folder name.
 */
const CSV_SETS: readonly [string, () => BenchPanel | null][] = [
  ...csvFolders(
    SHARED_DATA,
    OWN_LOADERS.map(([name]) => name),
  ),
  ...DATA_FOLDERS,
].map((dir) => [basename(dir), () => loadCsvFolder(dir)]);

/** The data sets, by the names `--sets=` takes; absent data sets load as null. */
const SETS: readonly [string, () => BenchPanel | null][] = [
  ...OWN_LOADERS,
  ...CSV_SETS,
  [
    "demo",
    () => {
      const path = join(WORK, "demo-300x1.db");
      if (!existsSync(path))
        generateDemoDatabase(path, { articles: 300, stores: 1, years: 3, seed: 11, today: TODAY });
      return loadLegacyPanel(path, "demo (300 articles, 1 store)", "2026-11-24");
    },
  ],
];

/**
 * The sets a run measures, and those absent; `retail`: the sets read from CSV files, which the
 * product's own path (panel-through-batch.ts) can take in too. The demo base is already a legacy
 * database, and Prophet's example has its own check through the batch.
 */
function panels(): { loaded: BenchPanel[]; skipped: string[]; retail: BenchPanel[] } {
  const loaded: BenchPanel[] = [];
  const skipped: string[] = [];
  const retail: BenchPanel[] = [];
  for (const [name, load] of SETS) {
    if (onlySets && !onlySets.includes(name)) continue;
    const panel = readSet(name, load);
    if (!panel) skipped.push(`${name} (no data: ../shared/data absent, or no sales row)`);
    else loaded.push(panel);
    if (panel && name !== "demo" && name !== "prophet-examples") retail.push(panel);
  }
  return { loaded, skipped, retail };
}

/** The set, or the run stopped on what its files hold that it cannot read (file, line, header). */
function readSet(name: string, load: () => BenchPanel | null): BenchPanel | null {
  try {
    return load();
  } catch (error) {
    log(`bench: set ${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

/**
 * Stops the run on a `--sets=` name that is no set (it would have run nothing, silently), on two
 * sets of one name, and on a `--data=` folder without its sales.csv.
 */
function checkSetNames(): void {
  const empty = DATA_FOLDERS.filter((dir) => !existsSync(join(dir, "sales.csv")));
  if (empty.length > 0) {
    log(`bench: no sales.csv in ${empty.join(", ")} (format: bench/datasets/csv-folder.ts)`);
    process.exit(2);
  }
  const known = SETS.map(([name]) => name);
  const twice = known.filter((n, i) => known.indexOf(n) !== i);
  if (twice.length > 0) {
    log(`bench: two sets named ${twice.join(", ")}: rename a folder`);
    process.exit(2);
  }
  const unknown = (onlySets ?? []).filter((n) => !known.includes(n));
  if (unknown.length === 0) return;
  log(`bench: unknown set(s): ${unknown.join(", ")}. Known: ${known.join(", ")}`);
  process.exit(2);
}

/**
 * The variants `--only-variants=` names: one flag may list several, separated by commas, and
 * may be repeated; a value that is a variant's whole name is that variant (one name holds a
 * comma). Undefined without the flag; an unknown name stops the run, listing the known ones.
 */
function chosenVariants(argv: readonly string[]): string[] | undefined {
  const values = argv.filter((a) => a.startsWith("--only-variants=")).map((a) => a.slice(16));
  if (values.length === 0) return undefined;
  const names = values.flatMap((v) => (PIPELINE_VARIANTS.has(v) ? [v] : v.split(",")));
  const unknown = names.filter((n) => !PIPELINE_VARIANTS.has(n));
  if (unknown.length > 0) {
    log(`bench: unknown variant(s): ${unknown.map((n) => `"${n}"`).join(", ")}. Known:`);
    for (const name of PIPELINE_VARIANTS.keys()) log(`  ${name}`);
    process.exit(2);
  }
  return names;
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const started = performance.now();
  const augurs = await loadAugurs();
  if (!augurs) log("bench: @bsull/augurs not installed, augurs references skipped");
  const chosen = chosenVariants(args);
  const variants: Map<string, PipelineSpec> = new Map(
    [...PIPELINE_VARIANTS].filter(
      ([name]) => name === "optiflow" || (chosen ? chosen.includes(name) : withVariants),
    ),
  );
  checkSetNames();
  const { loaded, skipped, retail } = panels();
  const results = await rollingResults(loaded, skipped, variants, augurs !== null);
  writeFileSync(join(WORK, "rolling-results.json"), JSON.stringify(results));
  log("bench: Peyton Manning through the batch");
  const peytonBatch = await peytonThroughBatch(WORK);
  const throughBatch = args.includes("--no-batch-check")
    ? []
    : await setsThroughBatch(
        retail,
        results,
        WORK,
        log,
        batchCountry,
        Number(args.find((a) => a.startsWith("--batch-windows="))?.slice(16) ?? 1),
      );
  const demoPath = join(WORK, "demo-300x1.db");
  let replay: ReplayRow[] = [];
  if (existsSync(demoPath) && !args.includes("--no-replay")) {
    log("bench: displayed precision, demo base replayed over weekly batches");
    replay = await replayPrecision(demoPath, WORK, "2026-11-24", quick ? 6 : 12, log);
  }
  const scale = quick || args.includes("--no-scale") ? null : scalePoint();
  let load: EndpointLoad[] = [];
  if (scale) {
    log("bench: page APIs under 20 concurrent clients (10,000-article database)");
    load = await loadTestApi(scale.path, 20, 5);
  }
  const minutes = (performance.now() - started) / 60_000;
  const report = [
    ...header(minutes, augurs !== null),
    ...accuracyTables(results),
    ...targetsTable(results),
    ...barHardnessTable(results),
    ...pooledErrorTable(results),
    ...speedTable(results),
    ...promiseTable(results, [...variants.keys()]),
    ...designTable(results, [...variants.keys()]),
    "## The test windows one by one",
    "",
    "Weekly WAPE per window: on all series (cheap references, pooled trees and Optiflow) and on the sample (every model).",
    "",
    ...windowTables(results),
    ...peytonLines(peytonBatch),
    ...throughBatchLines(throughBatch, batchCountry),
    ...replayLines(replay),
    ...scaleLines(scale),
    ...webLines(load),
    ...(skipped.length > 0 ? [`Skipped: ${skipped.join("; ")}.`, ""] : []),
  ].join("\n");
  writeReport(report);
}

/** The rolling-origin bench of each loaded set; a set too short for a window joins `skipped`. */
async function rollingResults(
  loaded: readonly BenchPanel[],
  skipped: string[],
  variants: ReadonlyMap<string, PipelineSpec>,
  augurs: boolean,
): Promise<RollingResult[]> {
  const results: RollingResult[] = [];
  for (const panel of loaded) {
    const all = rollingWindows(panel);
    if (all.length === 0) {
      skipped.push(`${panel.name} (${panel.length} days: windows need ${365 + HORIZON} at least)`);
      continue;
    }
    const half = args.find((a) => a.startsWith("--half="))?.slice(7);
    const windows = (quick ? quickWindows(all) : all).filter((w) => !half || w.half === half);
    const series = panel.stores.reduce((n, s) => n + s.series.length, 0);
    log(`bench: ${panel.name} (${series} series, ${windows.length} windows)`);
    // A pool per set (it also runs the pooled trees, which need no augurs): a set's references
    // then see the same sequence of tasks whether it runs alone (`--sets=`) or after others.
    const pool = args.includes("--no-slow") ? null : new ReferencePool(2);
    try {
      results.push(
        await runRollingBench(panel, {
          windows,
          variants,
          references: pool,
          augurs,
          sampleSize,
          slowOnTuning: args.includes("--tuning-refs"),
          log,
        }),
      );
    } finally {
      // A failed set must not leave its worker threads keeping the process alive.
      await pool?.close();
    }
  }
  return results;
}

/** To `--out=FILE`, else to bench/RESULTS.md on a full run over ../shared/data; always to stdout. */
function writeReport(report: string): void {
  const out = args.find((a) => a.startsWith("--out="))?.slice(6);
  if (out) writeFileSync(out, `${report}\n`);
  else if (!onlySets && !args.some((a) => a.startsWith("--data=")))
    writeFileSync(new URL("../../bench/RESULTS.md", import.meta.url), `${report}\n`);
  process.stdout.write(`${report}\n`);
}

function header(minutes: number, augurs: boolean): string[] {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  return [
    "# Benchmark results",
    "",
    `Produced by \`npm run bench${args.length > 0 ? ` -- ${args.join(" ")}` : ""}\` on ${new Date().toISOString().slice(0, 10)} in ${minutes.toFixed(1)} minutes; this file is overwritten on each run.`,
    `Machine: ${machine} (shared and noisy: compare ratios within one run, not absolute times).`,
    "",
    "- Weekly WAPE = Σ|F − A| / Σ A over the article-weeks of a window (weeks holding a stock-out day left out). Lower is better. Bias = Σ(F − A) / Σ A.",
    "- Intermittent = the series whose year before the window is intermittent or lumpy (ADI ≥ 1.32).",
    "- Coverage = share of daily actuals inside Optiflow's P10–P90 interval (target 80%).",
    `- Slow references through @bsull/augurs (WebAssembly), on 2 worker threads: ${augurs ? "measured in this run" : "NOT AVAILABLE in this run"}. The pooled trees (\`${POOLED_GBT}\`) run on the same threads, augurs or not.`,
    "- Optiflow = the pipeline the nightly batch runs (`forecastStore`): selection per series on windows before the held-out one, calibration per store and demand class, one thread. It sees what the batch reads at each origin, the last three years (the Italian set holds four, Prophet's example eight); the references see the whole history.",
    "",
  ];
}

interface ScaleResult {
  /** The database the nights ran on (a copy of the generated base), published. */
  path: string;
  generateSeconds: number;
  simulation: {
    seconds: number;
    firstReplaySecond: number | null;
    maxRssMb: number;
    series: number;
    weeks: number;
  };
  /** Night 1 (the whole history read) and night 2 (incremental), each in its own process. */
  nights: NightResult[];
}

interface NightResult {
  today: string;
  seconds: number;
  maxRssMb: number;
  published: boolean;
  steps: {
    step: string;
    name: string;
    status: string;
    seconds: number;
    counts: Record<string, unknown> | null;
  }[];
}

function scalePoint(): ScaleResult {
  const base = join(WORK, "demo-10000x1.db");
  let generateSeconds = Number.NaN;
  if (!existsSync(base)) {
    log("bench: generating the 10,000-article demo database");
    const started = performance.now();
    generateDemoDatabase(base, { articles: 10_000, stores: 1, years: 3, seed: 42, today: TODAY });
    generateSeconds = (performance.now() - started) / 1000;
  }
  // The nights write their runs: on a copy, so that the generated base stays as generated
  // (bench:scale starts its own nights from it) and each bench starts from the same state.
  const path = join(WORK, "bench-nights-10000x1.db");
  freshCopy(base, path);
  const night = (today: string, full: boolean): NightResult => {
    log(`bench: night on 10,000 articles × 1 store × 3 years (${today}${full ? ", --full" : ""})`);
    const child = spawnSync(
      process.execPath,
      [
        new URL("./batch-child.js", import.meta.url).pathname,
        path,
        today,
        ...(full ? ["full"] : []),
      ],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) throw new Error(`batch child failed: ${child.stderr}`);
    return { today, ...JSON.parse(child.stdout) };
  };
  const nights = [night(TODAY, true), night(addDays(TODAY, 1), false)];
  log("bench: optiflow simulate, 13 weeks, both policies, on the same base");
  const simulation = spawnSync(
    process.execPath,
    [new URL("./simulate-child.js", import.meta.url).pathname, path, TODAY, "13"],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  if (simulation.status !== 0) throw new Error(`simulate child failed: ${simulation.stderr}`);
  return {
    path,
    generateSeconds,
    nights,
    simulation: JSON.parse(simulation.stdout),
  };
}

function peytonLines(peyton: Awaited<ReturnType<typeof peytonThroughBatch>>): string[] {
  if (!peyton) return [];
  return [
    "## Prophet's quick-start data through the batch",
    "",
    `Imported as a one-article store (CSV → legacy database), \`ml batch --today 2015-12-24\`, published forecasts scored on the 28 hidden days: weekly WAPE **${(peyton.weeklyWape * 100).toFixed(1)}%** with model \`${peyton.model}\` (whole batch ${peyton.seconds.toFixed(1)} s).`,
    "",
  ];
}

function scaleLines(scale: ScaleResult | null): string[] {
  if (!scale) return [];
  const [first, second] = scale.nights as [NightResult, NightResult];
  const phases = (n: NightResult) => {
    const c = n.steps.find((s) => s.step === "2")?.counts ?? {};
    const mode = (c.history as { mode?: string } | undefined)?.mode ?? "–";
    return `${mode}; step 2: reading ${c.readSeconds} s, forecasting ${c.series} series ${c.forecastSeconds} s, writing ${c.forecastRows} rows ${c.writeSeconds} s`;
  };
  return [
    "## Scale: 10,000 articles × 1 store × 3 years",
    "",
    `Demo generation: ${Number.isFinite(scale.generateSeconds) ? `${scale.generateSeconds.toFixed(1)} s` : "reused from .bench-work/"}. Each night in its own process (issue 17 targets: night 1 ≤ 30 s, night 2 ≤ 15 s, peak RSS ≤ 1 GiB):`,
    "",
    `- night 1 (${first.today}, \`--full\`): **${first.seconds.toFixed(1)} s** wall, peak RSS **${first.maxRssMb.toFixed(0)} MB**, published: ${first.published} (${phases(first)});`,
    `- night 2 (${second.today}): **${second.seconds.toFixed(1)} s** wall, peak RSS **${second.maxRssMb.toFixed(0)} MB**, published: ${second.published} (${phases(second)}).`,
    "",
    "| step | name | night 1 s | night 2 s |",
    "|---|---|---:|---:|",
    ...first.steps.map(
      (s, k) =>
        `| ${s.step} | ${s.name} | ${s.seconds.toFixed(1)} | ${second.steps[k]?.seconds.toFixed(1) ?? "–"} |`,
    ),
    "",
    `\`optiflow simulate\` (13 weekly origins, both policies, ${scale.simulation.series} series) in its own process: **${scale.simulation.seconds.toFixed(1)} s** wall (forecasting at the 13 origins and the warm-up one 28 days before them until ${scale.simulation.firstReplaySecond?.toFixed(1) ?? "–"} s, then the replay), peak RSS **${scale.simulation.maxRssMb.toFixed(0)} MB** (issue 15 targets: 60 s, 1 GiB).`,
    "",
    "Thirty consecutive nights and a 5-store chain: `npm run bench:scale` (bench/SCALE-RESULTS.md).",
    "",
  ];
}

function webLines(load: readonly EndpointLoad[]): string[] {
  const lines: string[] = [];
  if (load.length > 0)
    lines.push(
      "## Page APIs under load (10,000 articles × 1 store)",
      "",
      "20 concurrent node:http keep-alive clients on loopback, 5 s per endpoint, against `optiflow serve` in its own process (clients and server share the 2 cores). Cold = the first request of a published run.",
      "",
      "| endpoint | encoding | requests | errors | cold ms | p50 ms | p95 ms | p99 ms |",
      "|---|---|---:|---:|---:|---:|---:|---:|",
      ...load.map(
        (l) =>
          `| ${l.path} | ${l.encoding} | ${l.requests} | ${l.errors} | ${l.coldMs.toFixed(0)} | ${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.p99.toFixed(1)} |`,
      ),
      "",
    );
  const bundle = bundleSizes();
  if (bundle.length > 0)
    lines.push(
      "## Pages bundle (web/dist/assets)",
      "",
      "| file | bytes | gzip bytes |",
      "|---|---:|---:|",
      ...bundle.map((b) => `| ${b.file} | ${b.bytes} | ${b.gzipBytes} |`),
      "",
    );
  return lines;
}

await main();
