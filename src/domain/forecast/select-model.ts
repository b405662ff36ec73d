import { weeklyTotals } from "../metrics/accuracy.js";
import { movingAverage, seasonalNaive, weekdayMean } from "./baselines.js";
import { classifyDemand, croston, type DemandClass, sba, tsb } from "./intermittent.js";
import { actualsForScoring, type ForecastFunction, type SeriesInput } from "./model-input.js";
import { type DispersionMoments, dispersionMoments, overdispersionFrom } from "./quantiles.js";
import {
  DISCOUNT_PENALTY,
  fitSeasonalModelVariants,
  type PriorAt,
  predictSeasonal,
  type SeasonalFit,
} from "./seasonal-model.js";

/**
 * Model selection by rolling-origin backtest (SPEC §5): every candidate forecasts the same
 * held-back windows; the one with the lowest WAPE of weekly totals wins the series, or the
 * average of the two best when that scores lower still.
 */
export const BACKTEST = { origins: 3, horizon: 28, step: 28 } as const;

/** The model a series keeps unless another wins its backtest by a clear margin. */
export const DEFAULT_MODEL = "prophet_like";
/** Another candidate replaces it only with under half its backtest error (bench/RESULTS.md). */
const SWITCH_MARGIN = 0.5;
/** The average of the two best is kept when it cuts the backtest error by 10% or more. */
const ENSEMBLE_MARGIN = 0.9;

export interface Candidate {
  name: string;
  /**
   * `horizon` days from each origin. The backtest origins and the final one come in one call so
   * that a model can share work between them (the Prophet-like fits share one pass). `prior`
   * gives pooled effects computed with data before an origin only.
   */
  forecast: (
    input: SeriesInput,
    origins: readonly number[],
    horizon: number,
    prior: PriorAt,
  ) => Float64Array[];
}

const plain = (name: string, f: ForecastFunction): Candidate => ({
  name,
  forecast: (i, origins, h) => origins.map((o) => f(i, o, h)),
});

export const CANDIDATES: readonly Candidate[] = [
  plain("seasonal_naive", seasonalNaive),
  plain("weekday_mean_8w", weekdayMean),
  plain("moving_average_28d", movingAverage),
  plain("croston", croston),
  plain("sba", sba),
  plain("tsb", tsb),
  { name: "prophet_like", forecast: prophetLike },
];

/**
 * Penalties tried for the promotion effect, chosen per series by its backtest: how much a
 * series' promotions lift its sales varies from nothing to several-fold, and one penalty either
 * flattens the big lifts or lets the small ones overfit. Measured in bench/RESULTS.md.
 */
export const DISCOUNT_PENALTIES = [DISCOUNT_PENALTY, 1, 0.25] as const;

/**
 * The Prophet-like model, its promotion penalty chosen by the weekly WAPE of the backtest
 * windows before the latest origin asked for (all penalties share one pass and one factor).
 */
function prophetLike(
  input: SeriesInput,
  origins: readonly number[],
  horizon: number,
  prior: PriorAt,
): Float64Array[] {
  const final = Math.max(...origins);
  const backtests = backtestOriginsBefore(final);
  const all = [...new Set([...backtests, ...origins])];
  // The backtest can only tell penalties apart if its windows hold promotions: otherwise the
  // default penalty, and one fit.
  const promoted = backtests.some((o) =>
    input.discount.subarray(o, o + BACKTEST.horizon).some((d) => d !== 0),
  );
  const variants = fitSeasonalModelVariants(
    input,
    all,
    prior,
    promoted ? DISCOUNT_PENALTIES : [DISCOUNT_PENALTY],
  );
  const predict = (fits: (SeasonalFit | null)[], o: number, h: number) => {
    const fit = fits[all.indexOf(o)];
    return fit ? predictSeasonal(fit, input, o, h) : new Float64Array(h).fill(Number.NaN);
  };
  let chosen = variants[0] as (SeasonalFit | null)[];
  if (backtests.length > 0 && variants.length > 1) {
    const actualWeeks = actualWeeksOf(input, backtests);
    let best = Number.POSITIVE_INFINITY;
    for (const fits of variants) {
      const score = scoreWindows(
        backtests.map((o) => predict(fits, o, BACKTEST.horizon)),
        actualWeeks,
      );
      const wape = score.error / Math.max(score.total, 1);
      if (wape < best) {
        best = wape;
        chosen = fits;
      }
    }
  }
  return origins.map((o) => predict(chosen, o, horizon));
}

export interface SeriesForecast {
  model: string;
  /** Backtest WAPE (weekly totals) of the chosen model; NaN when the backtest had no sales. */
  backtestWape: number;
  /** The chosen model's backtest sums, so that scores can be pooled over many series. */
  backtest: WindowScore;
  scores: Record<string, number>;
  demandClass: DemandClass;
  mean: Float64Array;
  /** Overdispersion of daily demand around `mean`, from backtest errors. */
  phi: number;
  /** What φ was estimated from, to redo it if the forecast is rescaled (calibration.ts). */
  dispersion: DispersionMoments;
  /** The chosen model's (forecast, actual) weekly totals over its backtest, interleaved. */
  backtestWeeks: Float64Array;
}

export function backtestOriginsBefore(origin: number): number[] {
  return Array.from(
    { length: BACKTEST.origins },
    (_, k) => origin - BACKTEST.step * (k + 1),
  ).filter((o) => o >= 56);
}

export interface WindowScore {
  error: number;
  total: number;
  /** Σ |F − A| / A over the weeks with A > 0, and their count: MAPE's parts. */
  apeSum: number;
  apeWeeks: number;
}

interface Scored extends WindowScore {
  name: string;
  daily: Float64Array[];
}

/** Weekly totals of the actual sales of each backtest window, shared by every candidate. */
function actualWeeksOf(input: SeriesInput, origins: readonly number[]): number[][] {
  return origins.map((o) => weeklyTotals(actualsForScoring(input, o, o + BACKTEST.horizon)));
}

function scoreWindows(daily: Float64Array[], actualWeeks: readonly number[][]): WindowScore {
  let error = 0;
  let total = 0;
  let apeSum = 0;
  let apeWeeks = 0;
  daily.forEach((forecast, k) => {
    const forecastWeeks = weeklyTotals(forecast, false);
    const actual = actualWeeks[k] as number[];
    forecastWeeks.forEach((f, w) => {
      const a = actual[w] as number;
      if (!Number.isFinite(a)) return;
      error += Math.abs(f - a);
      total += a;
      if (a > 0) {
        apeSum += Math.abs(f - a) / a;
        apeWeeks++;
      }
    });
  });
  return { error, total, apeSum, apeWeeks };
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
  const actualWeeks = actualWeeksOf(input, origins);
  const scored: Scored[] = [];
  const finals = new Map<string, Float64Array>();
  const length = Math.max(horizon, BACKTEST.horizon);
  for (const candidate of candidates) {
    const all = candidate.forecast(input, [...origins, origin], length, prior);
    finals.set(candidate.name, (all.pop() as Float64Array).subarray(0, horizon));
    const daily = all.map((d) => d.subarray(0, BACKTEST.horizon));
    if (daily.some((d) => Number.isNaN(d[0] as number))) continue;
    scored.push({ name: candidate.name, ...scoreWindows(daily, actualWeeks), daily });
  }
  const rank = (s: { error: number; total: number }) => s.error / Math.max(s.total, 1);
  scored.sort((a, b) => rank(a) - rank(b));
  // Three backtest windows are a small sample: the structural model keeps the series unless
  // a simpler candidate beats it clearly (measured: per-series argmin overfits the windows).
  const structural = scored.find((s) => s.name === DEFAULT_MODEL);
  const leader = scored[0];
  const first =
    structural && leader && rank(leader) >= SWITCH_MARGIN * rank(structural) ? structural : leader;
  const second = scored.find((s) => s !== first);
  let chosen: Scored | undefined = first;
  let members: string[] = first ? [first.name] : [];
  if (first && second) {
    const daily = first.daily.map((d, k) => d.map((v, h) => (v + (second.daily[k]?.[h] ?? v)) / 2));
    const ensemble = {
      name: `ensemble(${first.name}+${second.name})`,
      ...scoreWindows(daily, actualWeeks),
      daily,
    };
    if (rank(ensemble) < rank(first) * ENSEMBLE_MARGIN) {
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
      backtest: { error: 0, total: 0, apeSum: 0, apeWeeks: 0 },
      scores,
      demandClass,
      mean: movingAverage(input, origin, horizon),
      phi: 0.5,
      dispersion: { aa: 0, af: 0, ff: 0, f: 0 },
      backtestWeeks: new Float64Array(0),
    };
  }
  const mean = new Float64Array(horizon);
  for (const name of members) {
    const f = finals.get(name) as Float64Array;
    for (let h = 0; h < horizon; h++)
      mean[h] = (mean[h] as number) + (f[h] as number) / members.length;
  }
  const backtestForecast = concat(chosen.daily);
  const backtestActual = concat(
    origins.map((o) => actualsForScoring(input, o, o + BACKTEST.horizon)),
  );
  const dispersion = dispersionMoments(backtestForecast, backtestActual);
  return {
    model: chosen.name,
    backtestWape: chosen.total > 0 ? chosen.error / chosen.total : Number.NaN,
    backtest: {
      error: chosen.error,
      total: chosen.total,
      apeSum: chosen.apeSum,
      apeWeeks: chosen.apeWeeks,
    },
    scores,
    demandClass,
    mean,
    phi: overdispersionFrom(dispersion),
    dispersion,
    backtestWeeks: weekPairs(chosen.daily, actualWeeks),
  };
}

/** (forecast, actual) weekly totals, interleaved, over the weeks whose actuals are known. */
function weekPairs(daily: readonly Float64Array[], actualWeeks: readonly number[][]): Float64Array {
  const pairs: number[] = [];
  daily.forEach((forecast, k) => {
    weeklyTotals(forecast, false).forEach((f, w) => {
      const a = actualWeeks[k]?.[w] as number;
      if (Number.isFinite(a)) pairs.push(f, a);
    });
  });
  return Float64Array.from(pairs);
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

/** Re-forecasts with a named model (as stored with a forecast), for proofs on past windows. */
export function forecastWithModel(
  input: SeriesInput,
  origin: number,
  horizon: number,
  model: string,
  candidates: readonly Candidate[] = CANDIDATES,
): Float64Array | null {
  const members = model.startsWith("ensemble(") ? model.slice(9, -1).split("+") : [model];
  const parts = members.map(
    (name) =>
      candidates
        .find((c) => c.name === name)
        ?.forecast(input, [origin], horizon, () => undefined)[0],
  );
  if (parts.some((p) => !p || Number.isNaN(p[0] as number))) return null;
  const out = new Float64Array(horizon);
  for (const part of parts as Float64Array[])
    for (let h = 0; h < horizon; h++)
      out[h] = (out[h] as number) + (part[h] as number) / parts.length;
  return out;
}
