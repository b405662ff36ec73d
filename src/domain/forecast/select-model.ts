import { weeklyTotals } from "../metrics/accuracy.js";
import { movingAverage, seasonalNaive, weekdayMean } from "./baselines.js";
import { classifyDemand, croston, type DemandClass, sba, tsb } from "./intermittent.js";
import type { ForecastFunction, SeriesInput } from "./model-input.js";
import { estimateOverdispersion } from "./quantiles.js";
import { fitSeasonalModel, predictSeasonal } from "./seasonal-model.js";

/**
 * Model selection by rolling-origin backtest (SPEC §5): every candidate forecasts the same
 * held-back windows; the one with the lowest WAPE of weekly totals wins the series, or the
 * average of the two best when that scores lower still.
 */
export const BACKTEST = { origins: 3, horizon: 28, step: 28 } as const;

export type Prior = ReadonlyMap<string, number>;
/** A prior per origin: pooled effects computed with data before that origin only. */
export type PriorAt = (origin: number) => Prior | undefined;

export interface Candidate {
  name: string;
  forecast: (input: SeriesInput, origin: number, horizon: number, prior: PriorAt) => Float64Array;
}

const plain = (name: string, f: ForecastFunction): Candidate => ({
  name,
  forecast: (i, o, h) => f(i, o, h),
});

export const CANDIDATES: readonly Candidate[] = [
  plain("seasonal_naive", seasonalNaive),
  plain("weekday_mean_8w", weekdayMean),
  plain("moving_average_28d", movingAverage),
  plain("croston", croston),
  plain("sba", sba),
  plain("tsb", tsb),
  {
    name: "prophet_like",
    forecast: (input, origin, horizon, prior) => {
      const fit = fitSeasonalModel(input, origin, prior(origin));
      return fit
        ? predictSeasonal(fit, input, origin, horizon)
        : new Float64Array(horizon).fill(Number.NaN);
    },
  },
];

export interface SeriesForecast {
  model: string;
  /** Backtest WAPE (weekly totals) of the chosen model; NaN when the backtest had no sales. */
  backtestWape: number;
  scores: Record<string, number>;
  demandClass: DemandClass;
  mean: Float64Array;
  /** Overdispersion of daily demand around `mean`, from backtest errors. */
  phi: number;
}

export function backtestOriginsBefore(origin: number): number[] {
  return Array.from(
    { length: BACKTEST.origins },
    (_, k) => origin - BACKTEST.step * (k + 1),
  ).filter((o) => o >= 56);
}

interface Scored {
  name: string;
  error: number;
  total: number;
  daily: Float64Array[];
}

function scoreWindows(
  daily: Float64Array[],
  input: SeriesInput,
  origins: readonly number[],
): { error: number; total: number } {
  let error = 0;
  let total = 0;
  origins.forEach((o, k) => {
    const forecastWeeks = weeklyTotals(daily[k] as Float64Array, false);
    const actualWeeks = weeklyTotals(input.sales.subarray(o, o + BACKTEST.horizon));
    forecastWeeks.forEach((f, w) => {
      const a = actualWeeks[w] as number;
      if (!Number.isFinite(a)) return;
      error += Math.abs(f - a);
      total += a;
    });
  });
  return { error, total };
}

export function forecastSeries(
  input: SeriesInput,
  origin: number,
  horizon: number,
  prior: PriorAt = () => undefined,
  candidates: readonly Candidate[] = CANDIDATES,
): SeriesForecast {
  const origins = backtestOriginsBefore(origin);
  const demandClass = classifyDemand(
    input.sales.subarray(Math.max(0, origin - 365), origin),
  ).demandClass;
  const scored: Scored[] = [];
  for (const candidate of candidates) {
    const daily = origins.map((o) => candidate.forecast(input, o, BACKTEST.horizon, prior));
    if (daily.some((d) => Number.isNaN(d[0] as number))) continue;
    scored.push({ name: candidate.name, ...scoreWindows(daily, input, origins), daily });
  }
  const rank = (s: { error: number; total: number }) => s.error / Math.max(s.total, 1);
  scored.sort((a, b) => rank(a) - rank(b));
  const [first, second] = scored;
  let chosen: Scored | undefined = first;
  let members: string[] = first ? [first.name] : [];
  if (first && second) {
    const daily = first.daily.map((d, k) => d.map((v, h) => (v + (second.daily[k]?.[h] ?? v)) / 2));
    const ensemble = {
      name: `ensemble(${first.name}+${second.name})`,
      ...scoreWindows(daily, input, origins),
      daily,
    };
    if (rank(ensemble) < rank(first) * 0.98) {
      chosen = ensemble;
      members = [first.name, second.name];
    }
  }
  const scores = Object.fromEntries(
    scored.map((s) => [s.name, s.total > 0 ? s.error / s.total : Number.NaN]),
  );
  if (!chosen) {
    // Too little history for any backtest: the 28-day mean is the least surprising answer.
    return {
      model: "moving_average_28d",
      backtestWape: Number.NaN,
      scores,
      demandClass,
      mean: movingAverage(input, origin, horizon),
      phi: 0.5,
    };
  }
  const mean = new Float64Array(horizon);
  for (const name of members) {
    const candidate = candidates.find((c) => c.name === name) as Candidate;
    const f = candidate.forecast(input, origin, horizon, prior);
    for (let h = 0; h < horizon; h++)
      mean[h] = (mean[h] as number) + (f[h] as number) / members.length;
  }
  const backtestForecast = concat(chosen.daily);
  const backtestActual = concat(origins.map((o) => input.sales.subarray(o, o + BACKTEST.horizon)));
  return {
    model: chosen.name,
    backtestWape: chosen.total > 0 ? chosen.error / chosen.total : Number.NaN,
    scores,
    demandClass,
    mean,
    phi: estimateOverdispersion(backtestForecast, backtestActual),
  };
}

function concat(parts: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
