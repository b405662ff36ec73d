import {
  applyCalibration,
  type CalibrationSample,
  calibrationFactor,
  learnCalibration,
  learnQuietFactor,
} from "./calibration.js";
import { candidatesFor } from "./candidates.js";
import { forecastFromProfile, type WeekdayProfile, weekdayProfile } from "./category-profile.js";
import { isQuietAt } from "./dormancy.js";
import type { DemandClass } from "./intermittent.js";
import {
  type IntervalLevels,
  type IntervalSample,
  intervalLevelsFor,
  learnIntervalLevels,
  NOMINAL_LEVELS,
} from "./interval-calibration.js";
import {
  chainPeriodLevels,
  INDEPENDENT_DAYS,
  learnPeriodLevels,
  type PeriodLevel,
  type PeriodLevels,
  periodLevelFor,
} from "./level-uncertainty.js";
import {
  MIN_DAYS_FOR_OWN_MODEL,
  type SeriesInput,
  type StoreSeries,
  teachesStoreModels,
} from "./model-input.js";
import {
  DEFAULT_PIPELINE,
  type PipelineSpec,
  type SelectionSpec,
  WINDOW_DAYS,
} from "./pipeline-spec.js";
import { chainPooledSpec, fitPooledModel, type PooledFit } from "./pooled-model.js";
import {
  chooseForecast,
  type DefaultModels,
  PROPHET_LIKE_DEFAULT,
  type RefittedForecast,
  refitForecast,
  type ScoredSeries,
  type SeriesChoice,
  type SeriesForecast,
  scoreCandidates,
  selectionWindows,
} from "./select-model.js";
import { keyHash } from "./stable-sample.js";
import { type StoreDefault, storeDefaultModel } from "./store-default.js";

/**
 * The forecasting pipeline (SPEC §5), one function for the nightly batch, `ml predict-sales`
 * and the bench, so that the bench measures what users are served: per series, candidates and
 * selection (parallel, by chunks of series); per store, calibration on the selection windows;
 * then the impacts users declared. Quantiles follow from `mean` and `phi` (quantiles.ts).
 */

/** A series' forecast before the store-wide steps: plain data, so it can cross threads. */
export type SeriesResult = Pick<
  SeriesForecast,
  | "model"
  | "phi"
  | "backtest"
  | "demandClass"
  | "mean"
  | "scores"
  | "dispersion"
  | "backtestWeeks"
  | "quietWeeks"
  | "heldOut"
> & {
  /** Quiet (dormancy.ts) at the forecast's origin, and at the held-out window's. */
  quiet: { now: boolean; heldOut: boolean };
  /** The factor `mean` (and the held-out forecast) were rescaled by; 1 when not. */
  calibration: number;
  /**
   * Whether `calibration` is the quiet series' factor (the store's or the chain's); false for a
   * quiet series of a store without one, which keeps its class's factor.
   */
  quietFactor: boolean;
  /** The levels of the displayed daily band (nominally P10–P90; interval-calibration.ts). */
  interval: IntervalLevels;
  /** What the level is known to over a period of days (level-uncertainty.ts). */
  periodLevel: PeriodLevel;
  /** What its selection chose, to refit it later without choosing again; null: no own model. */
  choice: SeriesChoice | null;
};

/** Weekday profiles per category (null: the whole store), from the series with own history. */
export function categoryProfiles(
  series: readonly StoreSeries[],
  origin: number,
  spec: PipelineSpec = DEFAULT_PIPELINE,
): Map<number | null, WeekdayProfile> {
  const byCategory = new Map<number | null, SeriesInput[]>();
  const all: SeriesInput[] = [];
  for (const s of series) {
    if (!teachesStoreModels(s, origin, spec.neverSoldTeaches)) continue;
    const list = byCategory.get(s.categoryId) ?? [];
    // 200 series show a category's week well enough; more only costs time.
    if (list.length < 200) list.push(s.input);
    byCategory.set(s.categoryId, list);
    if (all.length < 500) all.push(s.input);
  }
  const profiles = new Map<number | null, WeekdayProfile>();
  for (const [category, inputs] of byCategory)
    profiles.set(category, weekdayProfile(inputs, origin));
  profiles.set(null, weekdayProfile(all, origin));
  return profiles;
}

/**
 * One series: its own selection when it has enough history, else its category's profile at its
 * own level. Null when it has no known day at all (nothing to forecast from).
 */
export function forecastOneSeries(
  s: StoreSeries,
  origin: number,
  horizon: number,
  profiles: ReadonlyMap<number | null, WeekdayProfile>,
  spec: PipelineSpec = DEFAULT_PIPELINE,
  pooled: PooledFit | null = null,
  defaults: DefaultModels = PROPHET_LIKE_DEFAULT,
  /** Its candidates' forecasts when the store's default model was chosen on it already. */
  scored?: ScoredSeries,
  /** An earlier selection's choice: refitted at `origin` instead of selecting again. */
  choice?: SeriesChoice,
): SeriesResult | null {
  if (s.knownDays === 0) return null;
  if (s.knownDays < MIN_DAYS_FOR_OWN_MODEL) return profileResult(s, origin, horizon, profiles);
  const candidates = candidatesFor(spec, pooled);
  const refitted =
    choice &&
    refitForecast(s.input, choice, origin, horizon, heldOutStart(origin, spec), candidates);
  const f =
    refitted ||
    chooseForecast(
      s.input,
      scored ?? scoreCandidates(s.input, origin, horizon, spec.selection, undefined, candidates),
      blendingSpec(spec.selection, pooled),
      defaults,
    );
  return ownModelResult(s.input, origin, f, spec.selection.quietStops ?? null);
}

/** What the store-wide steps (calibration, band levels, period levels) later set. */
const BEFORE_STORE_STEPS = {
  calibration: 1,
  quietFactor: false,
  interval: NOMINAL_LEVELS,
  periodLevel: INDEPENDENT_DAYS,
} as const;

/** A series forecast by its own model, chosen tonight or refitted from an earlier choice. */
function ownModelResult(
  input: SeriesInput,
  origin: number,
  f: RefittedForecast,
  stops: Parameters<typeof isQuietAt>[2],
): SeriesResult {
  // Before calibration: a later refit is calibrated again, from the same windows.
  const choice: SeriesChoice = {
    model: f.model,
    members: f.members,
    backtest: f.backtest,
    scores: f.scores,
    demandClass: f.demandClass,
    phi: f.phi,
    dispersion: f.dispersion,
    backtestWeeks: f.backtestWeeks,
    quietWeeks: f.quietWeeks,
  };
  const { members: _, ...chosen } = choice;
  return {
    ...chosen,
    mean: f.mean,
    heldOut: f.heldOut,
    quiet: {
      now: isQuietAt(input.sales, origin, stops),
      heldOut: f.heldOut !== null && isQuietAt(input.sales, f.heldOut.origin, stops),
    },
    ...BEFORE_STORE_STEPS,
    choice,
  };
}

/** A series too young for a model of its own: its category's weekday profile at its level. */
function profileResult(
  s: StoreSeries,
  origin: number,
  horizon: number,
  profiles: ReadonlyMap<number | null, WeekdayProfile>,
): SeriesResult {
  const profile = profiles.get(s.categoryId) ?? profiles.get(null) ?? [1, 1, 1, 1, 1, 1, 1];
  // Its held-out window too, from the days it had before it, so that the displayed precision
  // covers the new articles the stored forecasts will later be measured on. (The weekday shape
  // spans the store's year: the held-out weeks are 28 of its 364 days and set no level.)
  const heldOutOrigin = origin - WINDOW_DAYS;
  const before = heldOutOrigin > 0 ? knownBefore(s.input, heldOutOrigin) : 0;
  return {
    model: "category_profile",
    phi: 0.5,
    backtest: { error: 0, total: 0, apeSum: 0, apeWeeks: 0 },
    demandClass: "intermittent" satisfies DemandClass,
    mean: forecastFromProfile(s.input, origin, horizon, profile),
    scores: {},
    dispersion: { aa: 0, af: 0, ff: 0, f: 0 },
    backtestWeeks: new Float64Array(0),
    quietWeeks: new Float64Array(0),
    quiet: { now: false, heldOut: false },
    heldOut:
      before > 0
        ? {
            origin: heldOutOrigin,
            forecast: forecastFromProfile(s.input, heldOutOrigin, WINDOW_DAYS, profile),
          }
        : null,
    ...BEFORE_STORE_STEPS,
    choice: null,
  };
}

/**
 * The selection spec without `blendPooled` where the pooled model was fitted on fewer than
 * MIN_BLEND_SERIES series: a model of a handful of series is one more local model, not the
 * global one a combination wants (Peyton Manning's single series lost 4 to 13 points with it
 * on the bench's tuning half).
 */
function blendingSpec(selection: SelectionSpec, pooled: PooledFit | null): SelectionSpec {
  if (selection.blendPooled === undefined || (pooled?.series ?? 0) >= MIN_BLEND_SERIES)
    return selection;
  const { blendPooled: _, ...rest } = selection;
  return rest;
}

/** Series a pooled model is fitted on at least for a series' choice to be averaged with it. */
const MIN_BLEND_SERIES = 30;

/** Where the held-out window of a forecast from `origin` starts; null when none is forecast. */
function heldOutStart(origin: number, spec: PipelineSpec): number | null {
  if (spec.selection.forecastHeldOut === false) return null;
  return selectionWindows(origin, spec.selection).heldOut;
}

/** Known days of a series in the 8 weeks before `day` (what forecastFromProfile reads). */
function knownBefore(input: SeriesInput, day: number): number {
  let n = 0;
  for (let i = Math.max(0, day - 56); i < day; i++)
    if (Number.isFinite(input.sales[i] as number)) n++;
  return n;
}

/**
 * The pooled model (pooled-model.ts) of these series — one store's, or a chain's when the caller
 * passes every store's (`pooledAcrossStores`) —, fitted on forecasts whose weeks all end before the
 * first window the selection looks at: its forecasts of every selection window, of the held-out
 * window and of the horizon are out of sample. Null when the spec has none.
 */
export function fitStorePooled(
  series: readonly StoreSeries[],
  origin: number,
  spec: PipelineSpec = DEFAULT_PIPELINE,
): PooledFit | null {
  if (!spec.pooled) return null;
  const { heldOut, scoring } = selectionWindows(origin, spec.selection);
  const trainEnd = spec.pooledSeesSelection
    ? Math.min(origin, heldOut ?? origin)
    : Math.min(origin, heldOut ?? origin, ...scoring);
  const own = series.filter((s) => teachesStoreModels(s, origin, spec.neverSoldTeaches));
  return fitPooledModel(
    own.map((s) => s.input),
    trainEnd,
    spec.pooled,
    spec.samplesByPosition ? undefined : own.map((s) => keyHash(s.key)),
  );
}

/**
 * The chain's pooled model: fitStorePooled on every store's series, with the rows of as many
 * stores' fits as the chain has (chainPooledSpec) unless the spec keeps one store's.
 */
export function fitChainPooled(
  stores: readonly (readonly StoreSeries[])[],
  origin: number,
  spec: PipelineSpec = DEFAULT_PIPELINE,
): PooledFit | null {
  if (!spec.pooled) return null;
  const pooled =
    spec.chainRows === "store" ? spec.pooled : chainPooledSpec(spec.pooled, stores.length);
  return fitStorePooled(stores.flat(), origin, { ...spec, pooled });
}

/** What a chain's stores share when the spec pools across them (`StorePlan`). */
export type ChainParts = Pick<StorePlan, "pooled" | "storeDefault">;

/**
 * With `pooledAcrossStores`, the chain's pooled model, and with `defaultAcrossStores` its default
 * model chosen on every store's series; nothing otherwise (each store fits its own). Step 2 and
 * the bench both call it, so that the bench measures what the batch serves.
 */
export function chainParts(
  stores: readonly (readonly StoreSeries[])[],
  origin: number,
  horizon: number,
  spec: PipelineSpec = DEFAULT_PIPELINE,
): ChainParts {
  if (!spec.pooledAcrossStores) return {};
  const pooled = fitChainPooled(stores, origin, spec);
  if (!spec.selection.defaultAcrossStores) return { pooled };
  return { pooled, storeDefault: storeDefaultModel(stores.flat(), origin, horizon, spec, pooled) };
}

/**
 * A store's series rescaled together: one factor per demand class learned from their selection
 * windows (never from the held-out window, never from the horizon), applied to the forecast and
 * to the held-out forecast alike. Series quiet (dormancy.ts) take the store's quiet factor, else
 * `chainQuiet`, else their class's. Returns the factors per class.
 */
export function calibrateStore(
  results: readonly (SeriesResult | null)[],
  spec: PipelineSpec = DEFAULT_PIPELINE,
  chainQuiet: number | null = null,
): Record<string, number> {
  if (!spec.calibration) return {};
  const samples: CalibrationSample[] = [];
  for (const r of results) if (r && r.backtestWeeks.length > 0) samples.push(r);
  const calibration = learnCalibration(samples, spec.calibrationMinSeries);
  const quiet = spec.quietCalibration ? (learnQuietFactor(results) ?? chainQuiet) : null;
  const factorOf = (r: SeriesResult, isQuiet: boolean) =>
    isQuiet && quiet !== null ? quiet : calibrationFactor(calibration, r.demandClass);
  for (const r of results) {
    if (!r || r.backtestWeeks.length === 0) continue;
    const factor = factorOf(r, r.quiet.now);
    applyCalibration(r, factor);
    const heldOutFactor = factorOf(r, r.quiet.heldOut);
    if (r.heldOut && heldOutFactor !== 1)
      for (let h = 0; h < r.heldOut.forecast.length; h++)
        r.heldOut.forecast[h] = (r.heldOut.forecast[h] as number) * heldOutFactor;
    r.calibration = factor;
    r.quietFactor = r.quiet.now && quiet !== null;
  }
  const factors = quiet === null ? calibration : new Map([...calibration, ["quiet", quiet]]);
  return Object.fromEntries([...factors].map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
}

/** The held-out window of each series' forecast as served, against what then sold. */
function heldOutSamples(
  series: readonly StoreSeries[],
  results: readonly (SeriesResult | null)[],
): IntervalSample[] {
  const samples: IntervalSample[] = [];
  series.forEach((s, k) => {
    const r = results[k];
    if (!r?.heldOut) return;
    const { origin, forecast } = r.heldOut;
    const actual = Float64Array.from(forecast, (_, h) =>
      s.input.calendar.open[origin + h] === 0 ? Number.NaN : (s.input.sales[origin + h] as number),
    );
    samples.push({ demandClass: r.demandClass, forecast, phi: r.phi, actual });
  });
  return samples;
}

/**
 * The displayed band's levels per demand class, chosen on the held-out window of the forecasts
 * as served (after calibration and declared impacts). Returns them per class for the batch log.
 */
function calibrateIntervals(
  samples: readonly IntervalSample[],
  results: readonly (SeriesResult | null)[],
  spec: PipelineSpec,
): Record<string, IntervalLevels> {
  if (!spec.intervals) return {};
  const levels = learnIntervalLevels(samples, spec.intervalStoreMinDays);
  for (const r of results) if (r) r.interval = intervalLevelsFor(levels, r.demandClass);
  return Object.fromEntries(levels);
}

/**
 * What the level of the forecasts as served is known to over a period of days, learned on the
 * same held-out window (level-uncertainty.ts). Returns it per class for the batch log, rounded.
 */
function calibratePeriodLevels(
  samples: readonly IntervalSample[],
  results: readonly (SeriesResult | null)[],
  spec: PipelineSpec,
): Record<string, PeriodLevel> {
  if (!spec.periodLevel) return {};
  const learned = learnPeriodLevels(samples, spec.periodLevel);
  for (const r of results) if (r) r.periodLevel = periodLevelFor(learned, r.demandClass);
  return roundedLevels(learned);
}

/** Levels for the batch log, to three decimals. */
function roundedLevels(learned: PeriodLevels): Record<string, PeriodLevel> {
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return Object.fromEntries(
    [...learned].map(([k, v]) => [k, { factor: round(v.factor), variance: round(v.variance) }]),
  );
}

/** An expected change users declared for some days (timeline indices, inclusive). */
export interface DeclaredImpact {
  from: number;
  to: number;
  /** Multiplier of the forecast: 1.5 for +50%. */
  factor: number;
}

/**
 * SPEC §5: a declared event with an expected impact applies that impact to its days, instead of
 * an effect learned for it (the caller keeps such events out of the model's calendar), never on
 * top of it. Applied to a forecast that starts at `origin`.
 */
export function applyDeclaredImpacts(
  forecast: Float64Array,
  origin: number,
  impacts: readonly DeclaredImpact[],
): void {
  for (const { from, to, factor } of impacts) {
    for (let i = Math.max(from, origin); i <= to && i - origin < forecast.length; i++) {
      const h = i - origin;
      forecast[h] = Math.max(0, (forecast[h] as number) * factor);
    }
  }
}

export interface StorePlan {
  origin: number;
  horizon: number;
  /** Impacts per series key (or "*" for every series of the store). */
  impacts?: ReadonlyMap<string, readonly DeclaredImpact[]>;
  /**
   * A pooled model fitted on more than this store (the chain's, `pooledAcrossStores`), for the
   * origin the selection is made at (`selectedDaysBefore` earlier, when the spec has one).
   */
  pooled?: PooledFit | null;
  /** The same for the default model (the chain's, `defaultAcrossStores`). */
  storeDefault?: StoreDefault;
  /**
   * The chain's quiet factor (chainQuietFactor), taken by a store without enough quiet weeks to
   * learn its own; absent or null: such a store's quiet series keep their class's factor.
   */
  chainQuiet?: number | null;
}

/**
 * A store's selection, kept to forecast from later origins by refitting what it chose instead of
 * choosing again: its pooled model and default model, and each series' choice (series without
 * one are selected afresh at the later origin). Index-free: the caller keeps the day it was made.
 */
export interface StoreSelection {
  pooled: PooledFit | null;
  defaultModels: DefaultModels;
  choices: ReadonlyMap<string, SeriesChoice>;
}

export function selectionOf(
  pooled: PooledFit | null,
  defaultModels: DefaultModels,
  series: readonly StoreSeries[],
  results: readonly (SeriesResult | null)[],
): StoreSelection {
  const choices = new Map<string, SeriesChoice>();
  series.forEach((s, k) => {
    const choice = results[k]?.choice;
    if (choice) choices.set(s.key, choice);
  });
  return { pooled, defaultModels, choices };
}

/**
 * The whole pipeline for one store's series, on one thread (the bench; small stores; tests).
 * With a `selection` (or a spec whose `selectedDaysBefore` asks for one), the series are refitted
 * by its choices; calibration and the band's levels are learned again either way.
 */
export function forecastStore(
  series: readonly StoreSeries[],
  plan: StorePlan,
  spec: PipelineSpec = DEFAULT_PIPELINE,
  selection?: StoreSelection,
): {
  results: (SeriesResult | null)[];
  calibration: Record<string, number>;
  selection: StoreSelection;
} {
  const forecast = forecastStoreSeries(series, plan, spec, selection);
  const { calibration } = finishStore(series, forecast.results, plan, spec);
  return { ...forecast, calibration };
}

/**
 * forecastStore's per-series part: every series forecast, nothing store-wide done yet (a chain's
 * stores all come through it before any is finished, for `quietAcrossStores`).
 */
export function forecastStoreSeries(
  series: readonly StoreSeries[],
  plan: StorePlan,
  spec: PipelineSpec = DEFAULT_PIPELINE,
  selection?: StoreSelection,
): { results: (SeriesResult | null)[]; selection: StoreSelection } {
  const age = spec.selectedDaysBefore ?? 0;
  const earlier =
    selection ??
    (age > 0
      ? forecastStoreSeries(
          series,
          {
            origin: plan.origin - age,
            horizon: plan.horizon,
            pooled: plan.pooled,
            storeDefault: plan.storeDefault,
          },
          { ...spec, selectedDaysBefore: 0 },
        ).selection
      : undefined);
  const profiles = categoryProfiles(series, plan.origin, spec);
  const pooled = earlier
    ? earlier.pooled
    : plan.pooled !== undefined
      ? plan.pooled
      : fitStorePooled(series, plan.origin, spec);
  const storeDefault = earlier
    ? { models: earlier.defaultModels, scored: new Map<string, ScoredSeries>() }
    : (plan.storeDefault ?? storeDefaultModel(series, plan.origin, plan.horizon, spec, pooled));
  const results = series.map((s) =>
    forecastOneSeries(
      s,
      plan.origin,
      plan.horizon,
      profiles,
      spec,
      pooled,
      storeDefault.models,
      storeDefault.scored.get(s.key),
      earlier?.choices.get(s.key),
    ),
  );
  return { results, selection: selectionOf(pooled, storeDefault.models, series, results) };
}

/** What finishing a store learned, for the batch log: factors, band levels, period levels. */
export interface StoreFinish {
  calibration: Record<string, number>;
  intervals: Record<string, IntervalLevels>;
  periodLevels: Record<string, PeriodLevel>;
  /** The held-out window as served, against what sold: what the chain's levels learn from. */
  heldOut: IntervalSample[];
}

/**
 * The store-wide steps once every series of the store is forecast: calibration (with the chain's
 * quiet factor where the plan brings one), the declared impacts, then, on the held-out window of
 * the forecasts as served, the band's levels and the period levels. Step 2 (forecast-stores.ts)
 * and forecastStore both finish a store here.
 */
export function finishStore(
  series: readonly StoreSeries[],
  results: readonly (SeriesResult | null)[],
  plan: StorePlan,
  spec: PipelineSpec = DEFAULT_PIPELINE,
): StoreFinish {
  const calibration = calibrateStore(results, spec, plan.chainQuiet ?? null);
  finishWithImpacts(series, results, plan);
  const samples = spec.intervals || spec.periodLevel ? heldOutSamples(series, results) : [];
  return {
    calibration,
    intervals: calibrateIntervals(samples, results, spec),
    periodLevels: calibratePeriodLevels(samples, results, spec),
    heldOut: samples,
  };
}

/** A store of a chain to finish: its series, their results (finished in place), its plan. */
export interface ChainStore {
  series: readonly StoreSeries[];
  results: readonly (SeriesResult | null)[];
  plan: StorePlan;
}

/**
 * A chain's stores finished (finishStore each, with the chain's quiet factor), then the period
 * levels of a store too small to learn its own taken from the chain's, learned on every store's
 * held-out window together (with `periodLevel.acrossStores`). Step 2 (forecast-stores.ts) and
 * the bench finish a chain here.
 */
export function finishChain(
  stores: readonly ChainStore[],
  spec: PipelineSpec = DEFAULT_PIPELINE,
): StoreFinish[] {
  const finishes = stores.map((s) => finishStore(s.series, s.results, s.plan, spec));
  const hasOwn = finishes.map((f) => f.periodLevels.store !== undefined);
  const chain = chainPeriodLevels(
    finishes.map((f) => f.heldOut),
    hasOwn,
    spec.periodLevel,
  );
  if (!chain) return finishes;
  finishes.forEach((finish, k) => {
    if (hasOwn[k]) return;
    for (const r of stores[k]?.results ?? [])
      if (r) r.periodLevel = periodLevelFor(chain, r.demandClass);
    finish.periodLevels = roundedLevels(chain);
  });
  return finishes;
}

/**
 * With `quietAcrossStores`, the quiet series' factor learned on every store's series together
 * (the results of forecastStoreSeries, before calibration): what a store without enough quiet
 * weeks of its own takes. Null otherwise, or under MIN_CALIBRATION_WEEKS quiet weeks.
 */
export function chainQuietFactor(
  results: Iterable<SeriesResult | null>,
  spec: PipelineSpec = DEFAULT_PIPELINE,
): number | null {
  return spec.quietCalibration && spec.quietAcrossStores ? learnQuietFactor(results) : null;
}

/** The declared impacts, on the served forecasts and on their held-out forecasts. */
export function finishWithImpacts(
  series: readonly StoreSeries[],
  results: readonly (SeriesResult | null)[],
  plan: StorePlan,
): void {
  if (!plan.impacts || plan.impacts.size === 0) return;
  const everyone = plan.impacts.get("*") ?? [];
  series.forEach((s, k) => {
    const r = results[k];
    if (!r) return;
    const impacts = [...everyone, ...(plan.impacts?.get(s.key) ?? [])];
    if (impacts.length === 0) return;
    applyDeclaredImpacts(r.mean, plan.origin, impacts);
    if (r.heldOut) applyDeclaredImpacts(r.heldOut.forecast, r.heldOut.origin, impacts);
  });
}
