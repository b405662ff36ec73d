import { join } from "node:path";
import { isQuietAt, runWithoutSale } from "../src/domain/forecast/dormancy.js";
import { checkCommandLine } from "./bench-flags.js";
import { loadLegacyPanel } from "./datasets/demo-database.js";
import { loadItalianGrocery } from "./datasets/italian-grocery.js";
import { loadM5NineStores, loadM5Tx3Foods } from "./datasets/m5-walmart.js";
import type { BenchPanel, BenchSeries } from "./datasets/panel.js";
import { type Half, HORIZON, rollingWindows } from "./rolling-origins.js";

/**
 * What a run of days without a sale just before an origin says of the next four weeks: per
 * bucket of the run's length and of the units the series' rate over the year before the run
 * would have sold over it, the units sold over the 28 days from the origin against that year's
 * rate and against the 28-day mean before the origin. Series already quiet by the two-week rule
 * (dormancy.ts) have a bucket of their own. The diagnosis behind the sudden-stop rule.
 *
 * `node dist/bench/zero-runs.js --half=tuning|test` (the demo set needs .bench-work/demo-300x1.db,
 * which `npm run bench` generates); sets absent from ../shared/data are skipped.
 */
checkCommandLine(
  process.argv.slice(2),
  "node dist/bench/zero-runs.js",
  "What a run of days without a sale before an origin says of the next four weeks, per set.",
  [{ name: "half", value: "tuning|test", oneOf: ["tuning", "test"], help: "default tuning" }],
);
const half = (process.argv.find((a) => a.startsWith("--half="))?.slice(7) ?? "tuning") as Half;
const YEAR = 364;

interface Bucket {
  n: number;
  sold: number;
  atYearRate: number;
  atMean28: number;
}

const sets: [string, BenchPanel | null][] = [
  ["italian-grocery", loadItalianGrocery()],
  ["m5-walmart-tx3-foods", loadM5Tx3Foods()],
  ["m5-walmart-9-stores", loadM5NineStores()],
  [
    "demo",
    loadLegacyPanel(join(process.cwd(), ".bench-work", "demo-300x1.db"), "demo", "2026-11-24"),
  ],
];

for (const [name, panel] of sets) {
  if (!panel) continue;
  const buckets = new Map<string, Bucket>();
  for (const { origin } of rollingWindows(panel).filter((w) => w.half === half))
    for (const store of panel.stores)
      for (const series of store.series) addSeries(buckets, series, origin);
  console.log(`\n${name}, ${half} half`);
  console.log("bucket                n  sold/year rate  sold/28-day mean  units sold");
  for (const [key, b] of [...buckets].sort())
    console.log(
      `${key.padEnd(18)} ${String(b.n).padStart(5)}  ${(b.sold / b.atYearRate).toFixed(3).padStart(14)}  ${(b.sold / b.atMean28).toFixed(3).padStart(16)}  ${Math.round(b.sold).toString().padStart(10)}`,
    );
}

function addSeries(buckets: Map<string, Bucket>, series: BenchSeries, origin: number): void {
  const { sales, calendar } = series.input;
  const known = (i: number) => calendar.open[i] === 1 && Number.isFinite(sales[i] as number);
  // The run as the quiet rules read it (dormancy.ts).
  const { run, lastSale: last } = runWithoutSale(sales, origin);
  if (last < 0 || run < 3) return;
  const rate = meanOfKnown(sales, known, last + 1 - YEAR, last + 1);
  const units = rate * run;
  const key = isQuietAt(sales, origin)
    ? "quiet (two weeks)"
    : `${run >= 14 ? "14+" : run >= 7 ? "7-13" : "3-6"} days, ${units >= 20 ? "20+" : units >= 10 ? "10-20" : "<10"} u`;
  let sold = 0;
  for (let h = 0; h < HORIZON; h++) {
    const v = sales[origin + h] as number;
    if (Number.isFinite(v)) sold += v;
  }
  const b = buckets.get(key) ?? { n: 0, sold: 0, atYearRate: 0, atMean28: 0 };
  b.n++;
  b.sold += sold;
  b.atYearRate += rate * HORIZON;
  b.atMean28 += meanOfKnown(sales, known, origin - HORIZON, origin) * HORIZON;
  buckets.set(key, b);
}

function meanOfKnown(
  sales: Float64Array,
  known: (i: number) => boolean,
  from: number,
  to: number,
): number {
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    if (!known(i)) continue;
    sum += sales[i] as number;
    n++;
  }
  return n > 0 ? sum / n : 0;
}
