import { weeklyTotals } from "../metrics/accuracy.js";
import { movingAverage } from "./baselines.js";
import { CANDIDATES, type Candidate } from "./candidates.js";
import { isQuietAt } from "./dormancy.js";
import { classifyDemand, type DemandClass } from "./intermittent.js";
import { actualsForScoring, type SeriesInput } from "./model-input.js";
import { DEFAULT_SELECTION, type SelectionSpec, WINDOW_DAYS } from "./pipeline-spec.js";
import { type DispersionMoments, dispersionMoments, overdispersionFrom } from "./quantiles.js";
import type { PriorAt } from "./seasonal-model.js";
import { actualWeeksOf, scoreWindows, type WindowScore } from "./window-scores.js";

/**
 * Model selection by rolling-origin backtest (SPEC §5): every candidate forecasts the same
 * past windows; the one with the lowest WAPE of weekly totals wins the series, or the average
 * of the two best when that scores lower still. The most recent window is held out of the
 * choice: the chosen model's forecast from its start is what the product reports as its
 * accuracy, measured on weeks that did not choose it.
 */

/** The model a series keeps unless another wins its selection windows by a clear margin. */
export const DEFAULT_MODEL = "prophet_like";

/**
 * The models a store's series keep unless another wins their windows clearly: the store's, and
 * for a demand class with enough series sampled, the class's own (store-default.ts,
 * storeDefaultModel). Plain data: it crosses to worker threads and is saved with a selection.
 */
export interface DefaultModels {
  store: string;
  byClass: Partial<Record<DemandClass, string>>;
}

export const PROPHET_LIKE_DEFAULT: DefaultModels = { store: DEFAULT_MODEL, byClass: {} };

export function defaultModelFor(defaults: DefaultModels, demandClass: DemandClass): string {
  return defaults.byClass[demandClass] ?? defaults.store;
}

/** A candidate a series' forecast averages, with the variant it chose (see CandidateRun). */
export interface Member {
  name: string;
  variant: number | null;
}

export interface SeriesForecast {
  model: string;
  /** The candidates `mean` averages: one, or the members of the chosen ensemble. */
  members: Member[];
  /** Weekly WAPE of the chosen model on its selection windows; NaN when they had no sales. */
  backtestWape: number;
  /** The chosen model's sums on its selection windows, so that scores can be pooled. */
  backtest: WindowScore;
  scores: Record<string, number>;
  /** Each candidate's error and actual sums on the selection windows, to pool over a store. */
  scoreSums: Record<string, { error: number; total: number }>;
  demandClass: DemandClass;
  mean: Float64Array;
  /** Overdispersion of daily demand around `mean`, from the selection windows' errors. */
  phi: number;
  /** What φ was estimated from, to redo it if the forecast is rescaled (calibration.ts). */
  dispersion: DispersionMoments;
  /** The chosen model's (forecast, actual) weekly totals over its selection windows, interleaved. */
  backtestWeeks: Float64Array;
  /** The same, over the selection windows that began with the series quiet (dormancy.ts). */
  quietWeeks: Float64Array;
  /**
   * The held-out window: the chosen model (chosen without it) forecasting it from its first day,
   * `WINDOW_DAYS` days. Null when the history is too short or the spec holds nothing out.
   */
  heldOut: { origin: number; forecast: Float64Array } | null;
}

/**
 * The windows a selection looks at, for a forecast from `origin`: the held-out one (the most
 * recent), the recent ones before it, and the same four weeks a year earlier, where the history
 * reaches. A window needs 8 weeks of history before it.
 */
export function selectionWindows(
  origin: number,
  spec: SelectionSpec = DEFAULT_SELECTION,
): { heldOut: number | null; scoring: number[] } {
  const heldOut = spec.holdOut ? origin - WINDOW_DAYS : null;
  const first = spec.holdOut ? origin - 2 * WINDOW_DAYS : origin - WINDOW_DAYS;
  const scoring = Array.from({ length: spec.recentWindows }, (_, k) => first - WINDOW_DAYS * k);
  const yearAgo = origin - 364;
  if (spec.yearAgoWindow && !scoring.includes(yearAgo) && yearAgo + WINDOW_DAYS <= first)
    scoring.push(yearAgo);
  return {
    heldOut: heldOut !== null && heldOut >= 56 ? heldOut : null,
    scoring: scoring.filter((o) => o >= 56),
  };
}

export interface Scored extends WindowScore {
  name: string;
  variant: number | null;
  daily: Float64Array[];
}

const rank = (s: { error: number; total: number }) => s.error / Math.max(s.total, 1);

/** The winner and, when it pays, the runner-up it is averaged with. */
function choose(
  scored: Scored[],
  actualWeeks: readonly number[][],
  spec: SelectionSpec,
  defaultModel: string,
): { chosen: Scored; members: string[] } | null {
  scored.sort((a, b) => rank(a) - rank(b));
  // A few selection windows are a small sample: the default model keeps the series unless
  // another candidate beats it clearly (measured: per-series argmin overfits the windows).
  const defaultMembers = membersOfDefault(defaultModel);
  const parts = defaultMembers.map((name) => scored.find((s) => s.name === name));
  const structural = parts.every((s) => s !== undefined)
    ? parts.length === 1
      ? parts[0]
      : ensembleOf(parts as Scored[], actualWeeks)
    : undefined;
  const leader = scored[0];
  const first =
    structural && leader && rank(leader) >= spec.switchMargin * rank(structural)
      ? structural
      : leader;
  if (!first) return null;
  if (first === structural && defaultMembers.length > 1)
    return { chosen: structural, members: defaultMembers };
  const members = [first, ...scored.filter((s) => s !== first)].slice(0, spec.ensembleSize);
  if (members.length > 1 && spec.ensembleMargin !== null) {
    const ensemble = ensembleOf(members, actualWeeks);
    if (rank(ensemble) < rank(first) * spec.ensembleMargin)
      return { chosen: ensemble, members: members.map((m) => m.name) };
  }
  return { chosen: first, members: [first.name] };
}

/** The candidates a default model names: one, or the members of `ensemble(a+b)`. */
export function membersOfDefault(name: string): string[] {
  const inner = /^ensemble\((.+)\)$/.exec(name)?.[1];
  return inner ? inner.split("+") : [name];
}

/** The members' equally weighted average over the selection windows, scored on them. */
export function ensembleOf(members: readonly Scored[], actualWeeks: readonly number[][]): Scored {
  const first = members[0] as Scored;
  // Plain loops: a closure per day was a visible share of a selection's time.
  const daily = first.daily.map((d, k) => {
    const out = new Float64Array(d.length);
    const parts = members.map((m) => m.daily[k]);
    for (let h = 0; h < d.length; h++) {
      let sum = 0;
      for (const part of parts) sum += part?.[h] as number;
      out[h] = sum / members.length;
    }
    return out;
  });
  return {
    name: `ensemble(${members.map((m) => m.name).join("+")})`,
    variant: null,
    ...scoreWindows(daily, actualWeeks),
    daily,
  };
}

/**
 * The choice with one more member, equally weighted: the 28-day mean (shrinkIntermittent) or the
 * pooled model (blendPooled). A candidate already in, or not scored, leaves it as is.
 */
function withMember(
  picked: { chosen: Scored; members: string[] },
  scored: readonly Scored[],
  actualWeeks: readonly number[][],
  name: string,
): { chosen: Scored; members: string[] } {
  const extra = scored.find((s) => s.name === name);
  if (!extra || picked.members.includes(extra.name)) return picked;
  const members = [...picked.members, extra.name];
  const parts = members.map((member) => scored.find((s) => s.name === member) as Scored);
  return { chosen: ensembleOf(parts, actualWeeks), members };
}

function average(forecasts: ReadonlyMap<string, Float64Array>, members: readonly string[]) {
  const first = forecasts.get(members[0] as string) as Float64Array;
  const out = new Float64Array(first.length);
  for (const name of members) {
    const f = forecasts.get(name) as Float64Array;
    for (let h = 0; h < out.length; h++)
      out[h] = (out[h] as number) + (f[h] as number) / members.length;
  }
  return out;
}

/**
 * Every candidate's forecasts of one series (selection windows, held-out window, horizon) and
 * their scores: the costly half of the selection, independent of the store's default model, so
 * that the series a store's default is chosen on need not be forecast twice.
 */
export interface ScoredSeries {
  origin: number;
  horizon: number;
  heldOut: number | null;
  scoring: number[];
  demandClass: DemandClass;
  actualWeeks: number[][];
  scored: Scored[];
  finals: Map<string, Float64Array>;
  heldOutForecasts: Map<string, Float64Array>;
  /** Each candidate's forecast of the year-ago window, when asked for (see yearAgoWindow). */
  yearAgoForecasts: Map<string, Float64Array> | null;
  scores: Record<string, number>;
  scoreSums: Record<string, { error: number; total: number }>;
}

export function scoreCandidates(
  input: SeriesInput,
  origin: number,
  horizon: number,
  spec: SelectionSpec = DEFAULT_SELECTION,
  prior: PriorAt = () => undefined,
  candidates: readonly Candidate[] = CANDIDATES,
  options: { yearAgo?: boolean } = {},
): ScoredSeries {
  const { heldOut, scoring } = selectionWindows(origin, spec);
  const demandClass = classifyDemand(
    input.sales.subarray(Math.max(0, origin - 365), origin),
  ).demandClass;
  const actualWeeks = actualWeeksOf(input, scoring);
  const scored: Scored[] = [];
  const finals = new Map<string, Float64Array>();
  const heldOutForecasts = new Map<string, Float64Array>();
  const length = Math.max(horizon, WINDOW_DAYS);
  const extra = heldOut === null || spec.forecastHeldOut === false ? [] : [heldOut];
  const yearAgo = options.yearAgo ? yearAgoStart(origin) : null;
  const yearAgoForecasts = yearAgo === null ? null : new Map<string, Float64Array>();
  for (const candidate of candidates) {
    // In the same call as the other origins: the Prophet-like fits share one pass over the
    // history, and the year-ago one keeps the penalty the recent windows chose.
    const run = candidate.forecast(
      input,
      [...(yearAgo === null ? [] : [yearAgo]), ...scoring, ...extra, origin],
      length,
      { prior, scoringOrigins: scoring },
    );
    const all = run.forecasts;
    if (yearAgoForecasts)
      yearAgoForecasts.set(candidate.name, (all.shift() as Float64Array).subarray(0, WINDOW_DAYS));
    finals.set(candidate.name, (all.pop() as Float64Array).subarray(0, horizon));
    if (extra.length > 0)
      heldOutForecasts.set(candidate.name, (all.pop() as Float64Array).subarray(0, WINDOW_DAYS));
    const daily = all.map((d) => d.subarray(0, WINDOW_DAYS));
    if (daily.some((d) => Number.isNaN(d[0] as number))) continue;
    scored.push({
      name: candidate.name,
      variant: run.variant,
      ...scoreWindows(daily, actualWeeks),
      daily,
    });
  }
  const scores = Object.fromEntries(
    scored.map((s) => [s.name, s.total > 0 ? s.error / s.total : Number.NaN]),
  );
  const scoreSums = Object.fromEntries(
    scored.map((s) => [s.name, { error: s.error, total: s.total }]),
  );
  return {
    origin,
    horizon,
    heldOut,
    scoring,
    demandClass,
    actualWeeks,
    scored,
    finals,
    heldOutForecasts,
    yearAgoForecasts,
    scores,
    scoreSums,
  };
}

/** The first day of the four weeks a year before `origin`; null where the history is too short. */
function yearAgoStart(origin: number): number | null {
  const start = origin - 364;
  return start >= 56 ? start : null;
}

/** Each candidate's forecast of the four weeks a year before a series' origin, and what sold. */
export interface YearAgoWindow {
  actualWeeks: number[][];
  daily: Map<string, Float64Array>;
}

/**
 * Each candidate of a scored series forecast over the same four weeks a year before its origin
 * (the season coming), for a store-level choice only: made by scoreCandidates with `yearAgo`,
 * in the same call as the series' other origins; null where the history does not reach them or
 * they were not asked for. Each candidate keeps the variant its recent windows chose (the
 * Prophet-like model's promotion penalty), so that nothing is chosen on the weeks it is scored
 * on. The pooled model was fitted on these weeks (fitStorePooled stops at the recent windows):
 * with a few dozen coefficients for thousands of rows, its error there is close to an
 * out-of-sample one.
 */
export function yearAgoWindow(input: SeriesInput, series: ScoredSeries): YearAgoWindow | null {
  const start = yearAgoStart(series.origin);
  if (start === null || !series.yearAgoForecasts) return null;
  const daily = new Map<string, Float64Array>();
  for (const [name, forecast] of series.yearAgoForecasts)
    if (!Number.isNaN(forecast[0] as number)) daily.set(name, forecast);
  return { actualWeeks: actualWeeksOf(input, [start]), daily };
}

/** Each candidate's error and actual total over the year-ago window. */
export function yearAgoSums(
  window: YearAgoWindow,
): Record<string, { error: number; total: number }> {
  const sums: Record<string, { error: number; total: number }> = {};
  for (const [name, daily] of window.daily) {
    const { error, total } = scoreWindows([daily], window.actualWeeks);
    sums[name] = { error, total };
  }
  return sums;
}

export function forecastSeries(
  input: SeriesInput,
  origin: number,
  horizon: number,
  spec: SelectionSpec = DEFAULT_SELECTION,
  prior: PriorAt = () => undefined,
  candidates: readonly Candidate[] = CANDIDATES,
  defaults: DefaultModels = PROPHET_LIKE_DEFAULT,
): SeriesForecast {
  return chooseForecast(
    input,
    scoreCandidates(input, origin, horizon, spec, prior, candidates),
    spec,
    defaults,
  );
}

/** Whether the series' forecast is averaged with its 28-day mean (`shrinkIntermittent`). */
function shrinks(
  input: SeriesInput,
  origin: number,
  demandClass: DemandClass,
  spec: SelectionSpec,
): boolean {
  if (!spec.shrinkIntermittent) return false;
  if (demandClass !== "intermittent" && demandClass !== "lumpy") return false;
  if (spec.shrinkIntermittent !== "without-promotions") return true;
  for (let t = Math.max(0, origin - 364); t < origin; t++)
    if ((input.discount[t] as number) > 0) return false;
  return true;
}

/** Whether the choice is averaged with the pooled model (`blendPooled`). */
function blendsPooled(
  picked: { chosen: Scored },
  scored: readonly Scored[],
  spec: SelectionSpec,
): boolean {
  if (spec.blendPooled === undefined) return false;
  const pooled = scored.find((s) => s.name === "pooled");
  return pooled !== undefined && rank(pooled) <= spec.blendPooled * rank(picked.chosen);
}

/** The selection itself, on a series' scored candidates: the winner, or an ensemble. */
export function chooseForecast(
  input: SeriesInput,
  series: ScoredSeries,
  spec: SelectionSpec = DEFAULT_SELECTION,
  defaults: DefaultModels = PROPHET_LIKE_DEFAULT,
): SeriesForecast {
  const { origin, demandClass, actualWeeks } = series;
  // choose() sorts its list: a copy keeps the scored series reusable.
  const scored = [...series.scored];
  const picked = choose(scored, actualWeeks, spec, defaultModelFor(defaults, demandClass));
  const shrunk =
    picked && shrinks(input, origin, demandClass, spec)
      ? withMember(picked, scored, actualWeeks, "moving_average_28d")
      : picked;
  const selection =
    shrunk && blendsPooled(shrunk, scored, spec)
      ? withMember(shrunk, scored, actualWeeks, "pooled")
      : shrunk;
  return selection
    ? selectedForecast(input, series, selection, spec)
    : withoutSelection(input, series);
}

/** Too little history for any window: the 28-day mean is the least surprising answer. */
function withoutSelection(input: SeriesInput, series: ScoredSeries): SeriesForecast {
  return {
    model: "moving_average_28d",
    members: [{ name: "moving_average_28d", variant: null }],
    backtestWape: Number.NaN,
    backtest: { error: 0, total: 0, apeSum: 0, apeWeeks: 0 },
    scores: series.scores,
    scoreSums: series.scoreSums,
    demandClass: series.demandClass,
    mean: movingAverage(input, series.origin, series.horizon),
    phi: 0.5,
    dispersion: { aa: 0, af: 0, ff: 0, f: 0 },
    backtestWeeks: new Float64Array(0),
    quietWeeks: new Float64Array(0),
    heldOut: null,
  };
}

/** The chosen model (or ensemble) with what its windows measured: error, dispersion, weeks. */
function selectedForecast(
  input: SeriesInput,
  series: ScoredSeries,
  { chosen, members }: NonNullable<ReturnType<typeof choose>>,
  spec: SelectionSpec,
): SeriesForecast {
  const { heldOut, scoring, actualWeeks, heldOutForecasts } = series;
  const quiet = scoring.map((o) => isQuietAt(input.sales, o, spec.quietStops ?? null));
  const heldOutForecast =
    heldOut !== null && members.every((m) => heldOutForecasts.has(m))
      ? average(heldOutForecasts, members)
      : null;
  const dispersion = dispersionMoments(
    concat(chosen.daily),
    concat(scoring.map((o) => actualsForScoring(input, o, o + WINDOW_DAYS))),
  );
  return {
    model: chosen.name,
    members: members.map((name) => ({
      name,
      variant: series.scored.find((s) => s.name === name)?.variant ?? null,
    })),
    backtestWape: chosen.total > 0 ? chosen.error / chosen.total : Number.NaN,
    backtest: {
      error: chosen.error,
      total: chosen.total,
      apeSum: chosen.apeSum,
      apeWeeks: chosen.apeWeeks,
    },
    scores: series.scores,
    scoreSums: series.scoreSums,
    demandClass: series.demandClass,
    mean: average(series.finals, members),
    phi: overdispersionFrom(dispersion),
    dispersion,
    backtestWeeks: weekPairs(chosen.daily, actualWeeks),
    quietWeeks: weekPairs(
      chosen.daily.filter((_, k) => quiet[k]),
      actualWeeks.filter((_, k) => quiet[k]),
    ),
    heldOut:
      heldOut !== null && heldOutForecast && !Number.isNaN(heldOutForecast[0] as number)
        ? { origin: heldOut, forecast: heldOutForecast }
        : null,
  };
}

/**
 * What a selection decided for a series and measured on its windows: what a later forecast by
 * the same choice reports and is calibrated from.
 */
export type SeriesChoice = Pick<
  SeriesForecast,
  | "model"
  | "members"
  | "backtest"
  | "scores"
  | "demandClass"
  | "phi"
  | "dispersion"
  | "backtestWeeks"
  | "quietWeeks"
>;

/** A forecast refitted by a choice: the choice, its new forecasts. */
export type RefittedForecast = SeriesChoice & Pick<SeriesForecast, "mean" | "heldOut">;

/**
 * A series' forecast from `origin` by the choice an earlier selection made (its members, their
 * variants, what its windows measured): only the members are fitted, at `origin` and at the
 * held-out window's start. The held-out window must postdate the windows that made the choice, so
 * that the accuracy it measures stays honest. Null when a member cannot forecast any more (the
 * caller then selects again).
 */
export function refitForecast(
  input: SeriesInput,
  choice: SeriesChoice,
  origin: number,
  horizon: number,
  heldOut: number | null,
  candidates: readonly Candidate[] = CANDIDATES,
  prior: PriorAt = () => undefined,
): RefittedForecast | null {
  const origins = heldOut === null ? [origin] : [heldOut, origin];
  const finals = new Map<string, Float64Array>();
  const heldOutForecasts = new Map<string, Float64Array>();
  for (const { name, variant } of choice.members) {
    const candidate = candidates.find((c) => c.name === name);
    if (!candidate) return null;
    const { forecasts } = candidate.forecast(input, origins, Math.max(horizon, WINDOW_DAYS), {
      prior,
      scoringOrigins: [],
      variant,
    });
    const final = forecasts.at(-1) as Float64Array;
    if (Number.isNaN(final[0] as number)) return null;
    finals.set(name, final.subarray(0, horizon));
    if (heldOut !== null)
      heldOutForecasts.set(name, (forecasts[0] as Float64Array).subarray(0, WINDOW_DAYS));
  }
  const names = choice.members.map((m) => m.name);
  const heldOutForecast = heldOut === null ? null : average(heldOutForecasts, names);
  return {
    ...choice,
    mean: average(finals, names),
    heldOut:
      heldOut !== null && heldOutForecast && !Number.isNaN(heldOutForecast[0] as number)
        ? { origin: heldOut, forecast: heldOutForecast }
        : null,
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
