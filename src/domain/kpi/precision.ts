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
}

export interface WeeklyPair {
  weekStart: string;
  forecast: number;
  actual: number;
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
