import type { PeriodLevel } from "../src/domain/forecast/level-uncertainty.js";
import { ProtectionRisk } from "../src/domain/replenishment/service-level.js";
import type { RollingResult } from "./rolling-bench.js";
import type { Half } from "./rolling-origins.js";

/**
 * Whether the service levels the product promises are kept. A suggestion's Q_s is the demand
 * quantile at level s over its protection period (SPEC §4), and its "probability of no stock-out"
 * reads the same distribution: both are only as honest as that distribution. For each series and
 * window, the quantile at each level over the first 7, 14 and 28 days from the origin (stock 0,
 * deliveries on time) is set against what sold then; a level s is kept if about s of the periods
 * sold no more than it. Periods holding an unknown day (a stock-out) are left out: their sales
 * say less than the demand.
 */
export const PROMISE_PERIODS = [7, 14, 28] as const;
/** SPEC §4's default service levels, by ABC class (C, B, A). */
export const PROMISE_LEVELS = [0.9, 0.95, 0.98] as const;

/**
 * The 28-day periods by the size of their forecast, in units (upper bounds): under one a week,
 * up to one a day, more. A share over every series can hide a level broken for one kind of series
 * under one over-kept for another; the slow series, which a level known up to a factor cannot
 * lift off zero, are the first to look at apart.
 */
export const SIZE_BANDS = [4, 28, Number.POSITIVE_INFINITY] as const;
const SIZE_PERIOD = 28;

export interface LevelCounts {
  /** Periods checked, per row (a period of PROMISE_PERIODS, or a band of SIZE_BANDS). */
  checked: number[];
  /** Periods whose sales stayed within the quantile, per row then level (row-major). */
  kept: number[];
}

export interface PromiseCounts extends LevelCounts {
  /** The 28-day periods again, per band of SIZE_BANDS. */
  bySize: LevelCounts;
}

const emptyCounts = (rows: number): LevelCounts => ({
  checked: Array.from({ length: rows }, () => 0),
  kept: Array.from({ length: rows * PROMISE_LEVELS.length }, () => 0),
});

export const emptyPromiseCounts = (): PromiseCounts => ({
  ...emptyCounts(PROMISE_PERIODS.length),
  bySize: emptyCounts(SIZE_BANDS.length),
});

/** A series' served forecast: daily means from the origin, φ, its level over a period. */
interface Served {
  forecast: ArrayLike<number>;
  phi: number;
  level: PeriodLevel;
}

/** Checks one series' served forecast against its actuals; a closed day (`open` 0) sells nothing. */
export function checkPromises(
  counts: PromiseCounts,
  { forecast, phi, level }: Served,
  actual: ArrayLike<number>,
  open: (h: number) => boolean,
): void {
  let sold = 0;
  let h = 0;
  for (let p = 0; p < PROMISE_PERIODS.length; p++) {
    const days = PROMISE_PERIODS[p] as number;
    for (; h < days; h++) {
      const a = actual[h] as number;
      if (!open(h)) continue;
      // An unknown day leaves this period out, and every longer one, which holds it too.
      if (!Number.isFinite(a)) return;
      sold += a;
    }
    const risk = new ProtectionRisk({ forecast, phi, level, targetOffset: days - 1 });
    const kept = PROMISE_LEVELS.map((level) => sold <= risk.serviceUnits(0, level));
    count(counts, p, kept);
    if (days === SIZE_PERIOD) count(counts.bySize, sizeBand(forecast, days), kept);
  }
}

function count(counts: LevelCounts, row: number, kept: readonly boolean[]): void {
  counts.checked[row]! += 1;
  kept.forEach((k, l) => {
    if (k) counts.kept[row * PROMISE_LEVELS.length + l]! += 1;
  });
}

/** The band of SIZE_BANDS holding the forecast's total over the first `days` days. */
function sizeBand(forecast: ArrayLike<number>, days: number): number {
  let total = 0;
  for (let h = 0; h < Math.min(days, forecast.length); h++) total += forecast[h] as number;
  return SIZE_BANDS.findIndex((upper) => total < upper);
}

export function mergePromises(into: PromiseCounts, from: PromiseCounts | undefined): void {
  if (!from) return;
  mergeCounts(into, from);
  mergeCounts(into.bySize, from.bySize);
}

function mergeCounts(into: LevelCounts, from: LevelCounts): void {
  from.checked.forEach((n, i) => {
    into.checked[i]! += n;
  });
  from.kept.forEach((n, i) => {
    into.kept[i]! += n;
  });
}

const HALVES = ["tuning", "test"] as const;

/** A pipeline's promises over one half's windows of a set (null: none checked). */
function promisesOf(result: RollingResult, half: Half, variant: string): PromiseCounts | null {
  const counts = emptyPromiseCounts();
  for (const w of result.windows)
    if (w.half === half) mergePromises(counts, w.models[variant]?.promises);
  return counts.checked.some((n) => n > 0) ? counts : null;
}

/** The report's tables: per set, pipeline and half, the share of periods each level kept. */
export function promiseTable(
  results: readonly RollingResult[],
  variants: readonly string[] = ["optiflow"],
): string[] {
  const periods = PROMISE_PERIODS.map((days) => `${days} d`);
  const bands = ["under 4 units", "4–28 units", "28 units and more"];
  return [
    "## Service levels as promised",
    "",
    "A suggestion's service-level quantity Q_s is the quantile at level s of the demand over its protection period, and its probability of no stock-out reads the same distribution (SPEC §4; `ProtectionRisk`, src/domain/replenishment/service-level.ts). Per set and half, over every series and window: the share of the 7, 14 and 28-day periods from the origin whose sales stayed within Optiflow's quantile at 90, 95 and 98% (SPEC §4's defaults for classes C, B and A), with no stock on hand and deliveries on time. A level kept as promised reads the level itself. Mean gap: the mean of |share − level| over the nine cells, in points; largest shortfall: the most a share falls below its level (0: none does). Periods holding a stock-out day are left out (bench/service-promise.ts).",
    "",
    ...levelTable(results, variants, periods, "periods (7 / 14 / 28 d)", (c) => c),
    "### By the forecast's size (28-day periods)",
    "",
    "The same 28-day periods, by the served forecast's total over them: under one unit a week, up to one a day, more. A share over every series can hold a level broken for one kind of series under one over-kept for another.",
    "",
    ...levelTable(results, variants, bands, "periods (by size)", (c) => c.bySize),
  ];
}

function levelTable(
  results: readonly RollingResult[],
  variants: readonly string[],
  rows: readonly string[],
  countsTitle: string,
  pick: (counts: PromiseCounts) => LevelCounts,
): string[] {
  const many = variants.length > 1;
  const header = rows.flatMap((row) =>
    PROMISE_LEVELS.map((level) => `${row} at ${(level * 100).toFixed(0)}%`),
  );
  const lines = [
    `| set | ${many ? "pipeline | " : ""}half | ${countsTitle} | ${header.join(" | ")} | mean gap | largest shortfall |`,
    `|---|${many ? "---|" : ""}---|---:|${header.map(() => "---:").join("|")}|---:|---:|`,
  ];
  for (const r of results) {
    for (const [variant, half] of variants.flatMap((v) => HALVES.map((h) => [v, h] as const))) {
      const all = promisesOf(r, half, variant);
      if (!all) continue;
      const counts = pick(all);
      const shares = keptShares(counts);
      const cells = shares.map((v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "–"));
      const { meanGap, shortfall } = promiseGaps(shares);
      const pipeline = many ? `${variant} | ` : "";
      lines.push(
        `| ${r.set} | ${pipeline}${half} | ${counts.checked.join(" / ")} | ${cells.join(" | ")} | ${points(meanGap)} | ${points(shortfall)} |`,
      );
    }
  }
  lines.push("");
  return lines;
}

/** Each cell's share of periods kept (NaN: none checked), in the table's order. */
function keptShares(counts: LevelCounts): number[] {
  return counts.kept.map((kept, i) => {
    const checked = counts.checked[Math.floor(i / PROMISE_LEVELS.length)] as number;
    return checked > 0 ? kept / checked : Number.NaN;
  });
}

/** How far the shares are from their levels: the mean |gap|, and the largest shortfall (≥ 0). */
export function promiseGaps(shares: readonly number[]): { meanGap: number; shortfall: number } {
  let sum = 0;
  let n = 0;
  let shortfall = 0;
  shares.forEach((share, i) => {
    if (!Number.isFinite(share)) return;
    const level = PROMISE_LEVELS[i % PROMISE_LEVELS.length] as number;
    sum += Math.abs(share - level);
    n++;
    shortfall = Math.max(shortfall, level - share);
  });
  return { meanGap: n > 0 ? sum / n : Number.NaN, shortfall: n > 0 ? shortfall : Number.NaN };
}

const points = (v: number) => (Number.isFinite(v) ? (100 * v).toFixed(1) : "–");
