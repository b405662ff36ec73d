import { movingAverage } from "../forecast/baselines.js";
import type { SeriesInput } from "../forecast/model-input.js";

/**
 * SPEC §4 forecast precision: 1 − WAPE over article-store-weeks, with MAPE over the weeks that
 * sold something. `source` says whether the figures come from forecasts stored before the
 * sales were known, or from a rolling-origin backtest while fewer than 8 weeks are stored.
 */
export interface PrecisionFigures {
  source: "stored" | "backtest";
  precision: number | null;
  wape: number | null;
  mape: number | null;
  weeks: number;
  pairs: number;
  /** What the precision is worth beside a buyer's rule of thumb (absent from older runs). */
  baseline?: BaselineComparison | null;
}

/**
 * The same article-weeks forecast by the mean of the 28 days before each forecast was made: the
 * rule a buyer applies by hand. Both figures are over the pairs both forecasts have.
 */
export interface BaselineComparison {
  /** 1 − WAPE of the 28-day mean. */
  precision: number | null;
  /** 1 − WAPE of the forecasts served, on the same pairs. */
  optiflowPrecision: number | null;
  pairs: number;
}

export interface WeeklyPair {
  weekStart: string;
  forecast: number;
  actual: number;
  /** The 28-day mean's forecast of the week, made when `forecast` was; absent: none. */
  baseline?: number;
}

export function precisionFromWeeklyPairs(
  pairs: readonly WeeklyPair[],
): Omit<PrecisionFigures, "source"> {
  let error = 0;
  let total = 0;
  let apeSum = 0;
  let apeN = 0;
  for (const p of pairs) {
    error += Math.abs(p.forecast - p.actual);
    total += p.actual;
    if (p.actual > 0) {
      apeSum += Math.abs(p.forecast - p.actual) / p.actual;
      apeN++;
    }
  }
  const wape = total > 0 ? error / total : null;
  return {
    precision: wape === null ? null : 1 - wape,
    wape,
    mape: apeN > 0 ? apeSum / apeN : null,
    weeks: new Set(pairs.map((p) => p.weekStart)).size,
    pairs: pairs.length,
    baseline: baselineComparison(pairs),
  };
}

/**
 * The 28-day mean's forecast of the week from day `start`, made on day `made` (≤ start) from the
 * sales before it: the mean of its open, known days, on each open day of the week.
 */
export function baselineWeekTotal(input: SeriesInput, made: number, start: number): number {
  const daily = movingAverage(input, made, start + 7 - made);
  let total = 0;
  for (let i = start - made; i < daily.length; i++) total += daily[i] as number;
  return total;
}

/** The 28-day mean against the served forecasts, on the pairs that have both; null: none. */
export function baselineComparison(pairs: readonly WeeklyPair[]): BaselineComparison | null {
  let baselineError = 0;
  let error = 0;
  let total = 0;
  let count = 0;
  for (const p of pairs) {
    if (p.baseline === undefined || !Number.isFinite(p.baseline)) continue;
    baselineError += Math.abs(p.baseline - p.actual);
    error += Math.abs(p.forecast - p.actual);
    total += p.actual;
    count++;
  }
  if (count === 0) return null;
  return {
    precision: total > 0 ? 1 - baselineError / total : null,
    optiflowPrecision: total > 0 ? 1 - error / total : null,
    pairs: count,
  };
}

/** Weekly totals over all series: predicted vs actual, for the proof-of-precision chart. */
export function weeklyOverall(
  pairs: readonly WeeklyPair[],
): { weekStart: string; forecast: number; actual: number }[] {
  const byWeek = new Map<string, { forecast: number; actual: number }>();
  for (const p of pairs) {
    const w = byWeek.get(p.weekStart) ?? { forecast: 0, actual: 0 };
    w.forecast += p.forecast;
    w.actual += p.actual;
    byWeek.set(p.weekStart, w);
  }
  return [...byWeek.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([weekStart, v]) => ({ weekStart, ...v }));
}
