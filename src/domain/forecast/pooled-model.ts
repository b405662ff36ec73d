import { weekdayOfDay } from "../calendar/days.js";
import {
  type BoostSpec,
  fitBoostedTrees,
  type TreeEnsemble,
  treesOutput,
} from "./boosted-trees.js";
import { applyClosedDays, type SeriesInput } from "./model-input.js";
import { fitRegression, RegressionRows } from "./poisson-regression.js";
import { hashUnit } from "./stable-sample.js";

/**
 * A model pooled across many series, a store's or a chain's (`pooledAcrossStores`), as SPEC §5
 * and the M5 winners teach: one Poisson regression with a log link, fitted on every series at
 * many past origins, forecasting each day of the next four
 * weeks directly from what is known at the origin — recent levels over several spans, the
 * weekday's share, how the same weeks moved a year earlier, how intermittent the series is,
 * calendar events and promotions. A short or noisy series borrows the learned weighting
 * of these signals instead of fitting its own; one fit serves thousands of series.
 *
 * Fitted by Newton's method (IRLS, poisson-regression.ts) with a small ridge penalty, on a
 * deterministic sample of (series, origin) pairs so that its cost does not grow with the number
 * of series.
 */
export interface PooledSpec {
  /** Training origins, one every `every` days going back from the last usable one. */
  origins: number;
  every: number;
  /** Rows (series × origin × day) at most; pairs are sampled deterministically beyond it. */
  maxRows: number;
  ridge: number;
  iterations: number;
  /**
   * Newton's steps are taken on a sample of this many rows, then finished on every row without
   * a new Hessian (poissonRegression); 0: every step on every row. The same optimum either way.
   */
  warmStartRows: number;
  /** Boosted trees fitted on the regression's residual log-mean (boosted-trees.ts); null: none. */
  boost?: BoostSpec | null;
  /**
   * Five more features, products of the others (dayInteractions): what the bench's pooled trees
   * find and a linear model cannot, kept linear and cheap.
   */
  interactions?: boolean;
  /** The regression's loss: absent, Poisson's; else Tweedie's of this power (RegressionSpec). */
  tweediePower?: number;
  /**
   * Which (series, origin) pairs the sample keeps, when it keeps some only; absent: 0. Another
   * seed draws another sample of the same size: the bench's variants with one measure how far a
   * result moves on the sample alone, the noise any other choice's difference must exceed.
   */
  sampleSeed?: number;
  /**
   * How the kept pairs are drawn: each on its own ("independent", the default), or every
   * 1/keep-th origin of each series from a phase of its own ("systematic"): each series brings
   * its share of origins, and each origin its share of series.
   */
  sample?: "independent" | "systematic";
}

/**
 * 20,000 rows rather than 80,000: on the bench, pooled weekly WAPE moved by 0.2 points at most
 * on every set, either way, on the tuning half and then on the test half, while a small store's
 * forecasting took 1.7 times less time (the fit was more than half of it for 118 series).
 * Newton's steps on 4,000 of them rather than 8,000: the same pooled WAPE to the decimal on both
 * halves of every set, 15–20% less time per series on the small stores (docs/FORECASTING.md).
 */
export const DEFAULT_POOLED: PooledSpec = {
  origins: 26,
  every: 14,
  maxRows: 20_000,
  ridge: 1,
  iterations: 8,
  warmStartRows: 4_000,
};

/**
 * A chain's pooled fit (`pooledAcrossStores`) may read as many rows as its stores' own fits would
 * have read together, up to this: with one store's 20,000 rows for nine stores, each series
 * brought a ninth of its rows and the 9 Walmart stores' intermittent series lost 2.3 points on
 * the tuning half (docs/FORECASTING.md). There, 80,000 rows took the time per series from
 * 0.7 to 1.2 ms, against 2.6 ms for nine fits of their own.
 */
export const CHAIN_MAX_ROWS = 80_000;

/** The pooled spec of a chain of `stores` stores: one store's spec when there is one. */
export function chainPooledSpec(spec: PooledSpec, stores: number): PooledSpec {
  const maxRows = Math.max(spec.maxRows, Math.min(CHAIN_MAX_ROWS, spec.maxRows * stores));
  // A sample of a tenth of the rows at least: from less, the chord steps may get stuck and Newton's
  // steps on every row finish the fit, at their cost (poisson-regression.ts, pooled-model.test.ts).
  return { ...spec, maxRows, warmStartRows: Math.max(spec.warmStartRows, Math.ceil(maxRows / 10)) };
}

/** Days of each forecast the regression is trained on (its direct horizons). */
const TRAIN_HORIZON = 28;
const EPS = 0.02;

export interface PooledFit {
  coefficients: Float64Array;
  /** Event types of the store calendar, in the order of their coefficients. */
  eventTypes: string[];
  /** How many rows the fit used (0: too little data, the model forecasts nothing). */
  rows: number;
  /** How many series it was fitted on (absent from fits saved before it was kept). */
  series?: number;
  /** Added to the regression's log-mean when the spec asked for them. */
  trees?: TreeEnsemble | null;
  /** Fitted with the spec's `interactions` (absent from fits saved before they existed). */
  interactions?: boolean;
}

/** Running sums of known open days, so that any span's mean costs two subtractions. */
interface Prefix {
  sum: Float64Array;
  count: Float64Array;
  /** Index of the last known sale > 0 at or before i, −1 if none. */
  lastSale: Int32Array;
  /** The day the sums may be read up to (exclusive): spans are cut there. */
  end: number;
}

function prefixOf(input: SeriesInput, end: number): Prefix {
  const n = Math.min(end, input.sales.length);
  const sum = new Float64Array(n + 1);
  const count = new Float64Array(n + 1);
  const lastSale = new Int32Array(n + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = input.sales[i] as number;
    const known = input.calendar.open[i] === 1 && Number.isFinite(v);
    sum[i + 1] = (sum[i] as number) + (known ? Math.max(0, v) : 0);
    count[i + 1] = (count[i] as number) + (known ? 1 : 0);
    lastSale[i + 1] = known && v > 0 ? i : (lastSale[i] as number);
  }
  return { sum, count, lastSale, end: n };
}

/** The same sums, readable only before `origin`: one prefix serves every origin of a series. */
function prefixBefore(p: Prefix, origin: number): Prefix {
  return { ...p, end: Math.max(0, Math.min(p.end, origin)) };
}

/** Mean over the known days of [from, to); NaN when none is known. */
function spanMean(p: Prefix, from: number, to: number): number {
  const a = Math.max(0, from);
  const b = Math.min(p.end, to);
  if (b <= a) return Number.NaN;
  const n = (p.count[b] as number) - (p.count[a] as number);
  return n > 0 ? ((p.sum[b] as number) - (p.sum[a] as number)) / n : Number.NaN;
}

const logLevel = (m: number, fallback: number) =>
  Math.log((Number.isFinite(m) ? m : fallback) + EPS);

/** Number of coefficients for a store with these event types. */
function width(eventTypes: readonly string[], interactions: boolean): number {
  return 18 + 6 + eventTypes.length + 2 + (interactions ? INTERACTIONS : 0);
}

/** What a series looks like at an origin: computed once, shared by the days it forecasts. */
interface OriginState {
  origin: number;
  base: number;
  l7: number;
  l28: number;
  l91: number;
  l364: number;
  lastYearNow: number;
  zeros: number;
  sinceSale: number;
  soldNothing: number;
  recentPromotion: number;
  /**
   * Per weekday (of the day number), the log of its mean over the last 8 weeks against the
   * 8 weeks' mean; 0 when unknown. One log per weekday rather than per forecast day.
   */
  weekdayShares: Float64Array;
}

/** Null when the series has nothing known in the last year (no level to start from). */
function originState(input: SeriesInput, p: Prefix, origin: number): OriginState | null {
  const m28 = spanMean(p, origin - 28, origin);
  const m364 = spanMean(p, origin - 364, origin);
  if (!Number.isFinite(m364) && !Number.isFinite(m28)) return null;
  const base = Number.isFinite(m364) ? m364 : m28;
  const weekdayMeans = new Float64Array(7);
  const counts = new Float64Array(7);
  for (let i = Math.max(0, origin - 56); i < origin; i++) {
    const v = input.sales[i] as number;
    if (input.calendar.open[i] !== 1 || !Number.isFinite(v)) continue;
    const w = weekdayOfDay(input.calendar.firstDay + i);
    weekdayMeans[w] = (weekdayMeans[w] as number) + Math.max(0, v);
    counts[w] = (counts[w] as number) + 1;
  }
  const m56 = spanMean(p, origin - 56, origin);
  const weekdayShares = new Float64Array(7);
  for (let w = 0; w < 7; w++) {
    const count = counts[w] as number;
    const mean = count > 0 ? (weekdayMeans[w] as number) / count : Number.NaN;
    weekdayShares[w] = Number.isFinite(mean)
      ? Math.log((mean + EPS) / (logBase(m56, base) + EPS))
      : 0;
  }
  const known28 =
    (p.count[Math.min(origin, p.end)] as number) -
    (p.count[Math.max(0, Math.min(origin - 28, p.end))] as number);
  const last = p.lastSale[Math.min(origin, p.end)] as number;
  return {
    origin,
    base,
    l7: logLevel(spanMean(p, origin - 7, origin), base),
    l28: logLevel(m28, base),
    l91: logLevel(spanMean(p, origin - 91, origin), base),
    l364: logLevel(m364, base),
    lastYearNow: spanMean(p, origin - 364 - 28, origin - 364),
    // Share of the last 28 known days without a sale (intermittency).
    zeros: known28 > 0 ? zeroShare(input, origin - 28, origin) : 0,
    sinceSale: last < 0 ? Math.log(366) : Math.log(Math.min(365, origin - last) + 1),
    soldNothing: Number.isFinite(m28) && m28 > 0 ? 0 : 1,
    recentPromotion: meanOf(input.discount, origin - 28, origin),
    weekdayShares,
  };
}

/** The features of day `origin + h` as known at the origin, into `row`. */
function dayFeatures(
  row: Float64Array,
  input: SeriesInput,
  p: Prefix,
  state: OriginState,
  h: number,
  events: readonly (Uint8Array | undefined)[],
  interactions: boolean,
): void {
  const t = state.origin + h;
  // Beyond the trained horizon, the trend stops where the training did.
  const trained = Math.min(h, TRAIN_HORIZON - 1);
  const weekday = weekdayOfDay(input.calendar.firstDay + t);
  // A year earlier: the target's week against the four weeks before the origin.
  const lastYearTarget = spanMean(p, t - 364 - 3, t - 364 + 4);
  const hasYear = Number.isFinite(lastYearTarget) && Number.isFinite(state.lastYearNow) ? 1 : 0;
  const yearMove = hasYear ? Math.log((lastYearTarget + EPS) / (state.lastYearNow + EPS)) : 0;
  const { l7, l28, zeros } = state;
  let k = 0;
  row[k++] = 1;
  row[k++] = l7;
  row[k++] = l28;
  row[k++] = state.l91;
  row[k++] = state.l364;
  row[k++] = state.weekdayShares[weekday] as number;
  row[k++] = yearMove;
  row[k++] = 1 - hasYear;
  // Intermittency shifts the weight between short and long spans (a sparse series' recent
  // mean is mostly noise).
  row[k++] = zeros;
  row[k++] = zeros * l7;
  row[k++] = zeros * l28;
  row[k++] = zeros * state.l91;
  row[k++] = zeros * state.l364;
  row[k++] = state.sinceSale;
  // Recent trend, extrapolated over the horizon (damped by the fit).
  row[k++] = (l7 - l28) * ((trained + 1) / TRAIN_HORIZON);
  row[k++] = (trained + 1) / TRAIN_HORIZON;
  row[k++] = state.soldNothing;
  row[k++] = input.discount[t] as number;
  for (let d = 1; d < 7; d++) row[k++] = weekday === d ? 1 : 0;
  for (const active of events) row[k++] = active && active[t] === 1 ? 1 : 0;
  // Promotions lately (a post-promotion dip) and whether the target day is one.
  row[k++] = state.recentPromotion;
  row[k++] = (input.discount[t] as number) > 0 ? 1 : 0;
  if (interactions) dayInteractions(row, k, state, trained, weekday, yearMove);
}

const INTERACTIONS = 5;

/**
 * The interactions, from row[k] on. How far ahead the day is moves the weight between the short
 * and the long levels (a four-week-ahead day reverts further than tomorrow); how intermittent
 * the series is damps its weekday shape and its last year's movement, both mostly noise on a
 * sparse series.
 */
function dayInteractions(
  row: Float64Array,
  k: number,
  state: OriginState,
  trained: number,
  weekday: number,
  yearMove: number,
): void {
  const ahead = (trained + 1) / TRAIN_HORIZON;
  row[k++] = ahead * state.l7;
  row[k++] = ahead * state.l91;
  row[k++] = ahead * state.l364;
  row[k++] = state.zeros * (state.weekdayShares[weekday] as number);
  row[k] = state.zeros * yearMove;
}

/** Each event type's indicator in this series' calendar (undefined: the type is not there). */
function eventArrays(input: SeriesInput, eventTypes: readonly string[]) {
  return eventTypes.map((type) => input.calendar.events.find((e) => e.type === type)?.active);
}

const logBase = (m: number, base: number) => (Number.isFinite(m) ? m : base);

function zeroShare(input: SeriesInput, from: number, to: number): number {
  let zeros = 0;
  let n = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    const v = input.sales[i] as number;
    if (input.calendar.open[i] !== 1 || !Number.isFinite(v)) continue;
    n++;
    if (v <= 0) zeros++;
  }
  return n > 0 ? zeros / n : 0;
}

function meanOf(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    sum += values[i] as number;
    n++;
  }
  return n > 0 ? sum / n : 0;
}

/**
 * The origins of series `s` (its identity, keyHash) the sample keeps, `keep` of them on average:
 * the same whatever the other series, so that each (series, origin) pair is in or out for itself.
 */
export function keptOrigins(
  origins: number[],
  s: number,
  keep: number,
  spec: PooledSpec,
): number[] {
  const seed = spec.sampleSeed ?? 0;
  if (spec.sample !== "systematic") return origins.filter((_, k) => hashUnit(s, k, seed) < keep);
  const phase = hashUnit(s, -1, seed);
  return origins.filter(
    (_, k) => Math.floor((k + 1) * keep + phase) !== Math.floor(k * keep + phase),
  );
}

/**
 * Fits the store's pooled model on forecasts made at past origins whose four weeks all end by
 * `trainEnd`: nothing at or after `trainEnd` is read, so its forecasts of later windows are out
 * of sample.
 */
export function fitPooledModel(
  inputs: readonly SeriesInput[],
  trainEnd: number,
  spec: PooledSpec = DEFAULT_POOLED,
  /** Each input's identity for the row sample (keyHash of its key); absent: its index. */
  ids?: readonly number[],
): PooledFit {
  const eventTypes = [
    ...new Set(inputs.flatMap((i) => i.calendar.events.map((e) => e.type))),
  ].sort();
  const interactions = spec.interactions === true;
  const p = width(eventTypes, interactions);
  const lastOrigin = trainEnd - TRAIN_HORIZON;
  const origins = Array.from(
    { length: spec.origins },
    (_, k) => lastOrigin - k * spec.every,
  ).filter((o) => o >= 91);
  const pairs = inputs.length * origins.length * TRAIN_HORIZON;
  const keep = Math.min(1, spec.maxRows / Math.max(1, pairs));
  const rows = new RegressionRows(p, Math.min(pairs, Math.ceil(spec.maxRows * 1.1)));
  const row = new Float64Array(p);
  inputs.forEach((input, s) => {
    const kept = keptOrigins(origins, ids?.[s] ?? s, keep, spec);
    // Most of a large store's series have no origin sampled: their sums are not needed.
    if (kept.length === 0) return;
    const prefix = prefixOf(input, trainEnd);
    const events = eventArrays(input, eventTypes);
    for (const origin of kept) {
      const state = originState(input, prefix, origin);
      if (!state) continue;
      for (let h = 0; h < TRAIN_HORIZON; h++) {
        const t = origin + h;
        const y = input.sales[t] as number;
        if (t >= trainEnd || input.calendar.open[t] !== 1 || !Number.isFinite(y)) continue;
        dayFeatures(row, input, prefix, state, h, events, interactions);
        rows.push(row, Math.max(0, y));
      }
    }
  });
  const coefficients = fitRegression(rows, spec);
  // Too few rows (a store of a few young series): no pooled model, its candidate left out.
  if (!coefficients)
    return { coefficients: new Float64Array(p), eventTypes, rows: 0, series: inputs.length };
  const trees = spec.boost ? fitTrees(rows, coefficients, spec.boost) : null;
  return {
    coefficients,
    eventTypes,
    rows: rows.n,
    series: inputs.length,
    trees,
    ...(interactions && { interactions }),
  };
}

/** Boosted trees on what the regression's log-mean leaves (they read the rows dense). */
function fitTrees(rows: RegressionRows, coefficients: Float64Array, boost: BoostSpec) {
  const { n, p } = rows;
  const x = rows.dense();
  const eta = new Float64Array(n);
  for (let r = 0; r < n; r++) eta[r] = rowDot(x, r * p, coefficients, p);
  return fitBoostedTrees(x, rows.y, eta, n, p, boost);
}

/** Σ x[offset + a] · b[a] over the p columns of one row, in column order. */
function rowDot(x: Float64Array, offset: number, b: Float64Array, p: number): number {
  let eta = 0;
  for (let a = 0; a < p; a++) eta += (b[a] as number) * (x[offset + a] as number);
  return eta;
}

/** The pooled model's daily forecasts from `origin`, using sales before it only. */
export function predictPooled(
  fit: PooledFit,
  input: SeriesInput,
  origin: number,
  horizon: number,
): Float64Array {
  return predictPooledAt(fit, input, [origin], horizon)[0] as Float64Array;
}

/** The same from several origins of one series, its running sums computed once. */
export function predictPooledAt(
  fit: PooledFit,
  input: SeriesInput,
  origins: readonly number[],
  horizon: number,
): Float64Array[] {
  if (origins.length === 0) return [];
  if (fit.rows === 0) return origins.map(() => new Float64Array(horizon).fill(Number.NaN));
  const prefix = prefixOf(input, Math.max(...origins));
  return origins.map((origin) =>
    predictFrom(fit, input, prefixBefore(prefix, origin), origin, horizon),
  );
}

function predictFrom(
  fit: PooledFit,
  input: SeriesInput,
  prefix: Prefix,
  origin: number,
  horizon: number,
): Float64Array {
  const out = new Float64Array(horizon);
  const row = new Float64Array(fit.coefficients.length);
  // A regression extrapolates: no day beyond a few times the series' best day of the last year.
  let best = 0;
  for (let i = Math.max(0, origin - 364); i < origin; i++) {
    const v = input.sales[i] as number;
    if (Number.isFinite(v) && v > best) best = v;
  }
  const cap = 3 * Math.max(best, 1);
  const state = originState(input, prefix, origin);
  if (!state) return out.fill(Number.NaN);
  const events = eventArrays(input, fit.eventTypes);
  for (let h = 0; h < horizon; h++) {
    if (origin + h >= input.calendar.length) break;
    dayFeatures(row, input, prefix, state, h, events, fit.interactions === true);
    let eta = 0;
    for (let a = 0; a < row.length; a++)
      eta += (fit.coefficients[a] as number) * (row[a] as number);
    if (fit.trees) eta += treesOutput(fit.trees, row);
    out[h] = Math.min(cap, Math.exp(Math.min(eta, 20)));
  }
  return applyClosedDays(out, input.calendar, origin);
}
