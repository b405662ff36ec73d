import type { DemandClass } from "./intermittent.js";
import { type DispersionMoments, overdispersionFrom } from "./quantiles.js";

/**
 * Calibration of a store's forecasts on their backtest weeks, pooled by demand class.
 *
 * The Prophet-like model forecasts expm1 of a mean on the log1p scale: a median-type value per
 * day, which falls short of weekly totals (their median is near their mean once a week holds a
 * few sales), the more so the sparser the series. One factor per store and demand class, learned
 * from the weeks the series were held out for (never from the horizon), rescales the forecasts:
 * the factor minimising Σ |s·F − A| over those weeks, i.e. the median of A / F weighted by F —
 * the weekly-WAPE-optimal scale. Pooled over hundreds of weeks it is stable; a class with few
 * weeks uses the store's pooled factor, and a store with few weeks none at all.
 */
export type Calibration = ReadonlyMap<DemandClass | "store", number>;

export interface CalibrationSample {
  demandClass: DemandClass;
  /** (forecast, actual) weekly totals of the chosen model's backtest, interleaved. */
  backtestWeeks: Float64Array;
}

/** Under this many backtest weeks, a factor is too noisy to apply. */
export const MIN_CALIBRATION_WEEKS = 40;
/**
 * Nor from fewer series than this: a series' twelve weeks move together, so a class of a few
 * series has a few observations, not dozens of weeks. On the 9 Walmart stores (28 items each),
 * factors learned on 4 to 12 series ranged from 0.46 to 1.13 and cost the set 0.9 points of
 * pooled weekly WAPE on the bench's tuning half; below 50, a class takes its store's factor, and a
 * store of fewer series none (docs/FORECASTING.md).
 */
export const MIN_CALIBRATION_SERIES = 50;
/** A factor beyond these bounds would say the model is broken, not biased: not applied. */
const BOUNDS = [2 / 3, 3 / 2] as const;

export function learnCalibration(
  samples: Iterable<CalibrationSample>,
  minSeries = MIN_CALIBRATION_SERIES,
): Calibration {
  const store = new WeightedValues();
  const byClass = new Map<DemandClass | "store", WeightedValues>([["store", store]]);
  const series = new Map<DemandClass | "store", number>([["store", 0]]);
  for (const { demandClass, backtestWeeks } of samples) {
    let values = byClass.get(demandClass);
    if (!values) {
      values = new WeightedValues();
      byClass.set(demandClass, values);
    }
    const weeks = values.length;
    for (let w = 0; w + 1 < backtestWeeks.length; w += 2) {
      const f = backtestWeeks[w] as number;
      const a = backtestWeeks[w + 1] as number;
      if (!(f > 0) || !Number.isFinite(a)) continue;
      values.push(a / f, f);
      store.push(a / f, f);
    }
    if (values.length === weeks) continue;
    series.set(demandClass, (series.get(demandClass) ?? 0) + 1);
    series.set("store", (series.get("store") as number) + 1);
  }
  const calibration = new Map<DemandClass | "store", number>();
  for (const [key, values] of byClass) {
    if (values.length < MIN_CALIBRATION_WEEKS || (series.get(key) ?? 0) < minSeries) continue;
    const factor = values.weightedMedian();
    if (factor >= BOUNDS[0] && factor <= BOUNDS[1]) calibration.set(key, factor);
  }
  return calibration;
}

/**
 * Quiet series' factor (dormancy.ts): the weekly-WAPE-optimal scale of the chosen models'
 * forecasts over the selection windows that began with a series quiet, pooled over the store;
 * null under MIN_CALIBRATION_WEEKS such weeks. Bounded to [QUIET_FLOOR, 1]: quiet series are
 * scaled down or left, and never forecast nothing — an article whose shelf emptied without the
 * stock saying so would otherwise never be ordered again.
 */
export const QUIET_FLOOR = 0.25;

export function learnQuietFactor(
  results: Iterable<{ quietWeeks: Float64Array } | null>,
): number | null {
  const values = new WeightedValues();
  for (const r of results) {
    if (!r) continue;
    const weeks = r.quietWeeks;
    for (let w = 0; w + 1 < weeks.length; w += 2) {
      const f = weeks[w] as number;
      const a = weeks[w + 1] as number;
      if (f > 0 && Number.isFinite(a)) values.push(a / f, f);
    }
  }
  if (values.length < MIN_CALIBRATION_WEEKS) return null;
  return Math.min(1, Math.max(QUIET_FLOOR, values.weightedMedian()));
}

/** The factor for a series of this class: its class's, else the store's, else none (1). */
export function calibrationFactor(calibration: Calibration, demandClass: DemandClass): number {
  return calibration.get(demandClass) ?? calibration.get("store") ?? 1;
}

/** Rescales a forecast in place; its overdispersion is re-estimated around the new level. */
export function applyCalibration(
  forecast: { mean: Float64Array; phi: number; dispersion: DispersionMoments },
  factor: number,
): void {
  if (factor === 1) return;
  for (let h = 0; h < forecast.mean.length; h++)
    forecast.mean[h] = (forecast.mean[h] as number) * factor;
  forecast.phi = overdispersionFrom(forecast.dispersion, factor);
}

/**
 * (value, weight) pairs in growing typed arrays. A store's are 100,000 weeks or more: as [x, w]
 * arrays sorted with a comparator they cost 0.25 s per store and night (`optiflow simulate`
 * does it at 13 origins); a selection in place is linear.
 */
export class WeightedValues {
  private values: Float64Array = new Float64Array(256);
  private weights: Float64Array = new Float64Array(256);
  length = 0;

  push(value: number, weight: number): void {
    if (this.length === this.values.length) {
      this.values = grown(this.values);
      this.weights = grown(this.weights);
    }
    this.values[this.length] = value;
    this.weights[this.length] = weight;
    this.length++;
  }

  /**
   * The value v minimising Σ w·|v − x|: the first value, in ascending order, at which the
   * cumulated weight reaches half the total (1 when there is none). Quickselect on three-way
   * partitions (below, equal to, above a pivot), keeping the side where that value lies.
   */
  weightedMedian(): number {
    const x = this.values;
    const w = this.weights;
    let total = 0;
    for (let i = 0; i < this.length; i++) total += w[i] as number;
    const half = total / 2;
    let before = 0;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const pivot = x[lo + ((hi - lo) >> 1)] as number;
      const { lessEnd, equalEnd, less, equal } = partition(x, w, lo, hi, pivot);
      if (before + less >= half && lessEnd > lo) hi = lessEnd;
      else if (before + less + equal >= half) return pivot;
      else {
        before += less + equal;
        lo = equalEnd;
      }
    }
    return 1;
  }
}

function grown(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Reorders [lo, hi) of x (and w with it) into values below the pivot, equal to it, above it;
 * returns where the first two parts end and their weights.
 */
function partition(x: Float64Array, w: Float64Array, lo: number, hi: number, pivot: number) {
  let lt = lo;
  let i = lo;
  let gt = hi;
  let less = 0;
  let equal = 0;
  while (i < gt) {
    const v = x[i] as number;
    if (v < pivot) {
      swap(x, w, i++, lt++);
    } else if (v > pivot) {
      swap(x, w, i, --gt);
    } else i++;
  }
  for (let k = lo; k < lt; k++) less += w[k] as number;
  for (let k = lt; k < gt; k++) equal += w[k] as number;
  return { lessEnd: lt, equalEnd: gt, less, equal };
}

function swap(x: Float64Array, w: Float64Array, i: number, j: number): void {
  const v = x[i] as number;
  x[i] = x[j] as number;
  x[j] = v;
  const u = w[i] as number;
  w[i] = w[j] as number;
  w[j] = u;
}
