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
/** A factor beyond these bounds would say the model is broken, not biased: not applied. */
const BOUNDS = [2 / 3, 3 / 2] as const;

export function learnCalibration(samples: Iterable<CalibrationSample>): Calibration {
  const byClass = new Map<DemandClass | "store", [number, number][]>([["store", []]]);
  for (const { demandClass, backtestWeeks } of samples) {
    let pairs = byClass.get(demandClass);
    if (!pairs) {
      pairs = [];
      byClass.set(demandClass, pairs);
    }
    for (let w = 0; w + 1 < backtestWeeks.length; w += 2) {
      const f = backtestWeeks[w] as number;
      const a = backtestWeeks[w + 1] as number;
      if (!(f > 0) || !Number.isFinite(a)) continue;
      pairs.push([a / f, f]);
      byClass.get("store")?.push([a / f, f]);
    }
  }
  const calibration = new Map<DemandClass | "store", number>();
  for (const [key, pairs] of byClass) {
    if (pairs.length < MIN_CALIBRATION_WEEKS) continue;
    const factor = weightedMedian(pairs);
    if (factor >= BOUNDS[0] && factor <= BOUNDS[1]) calibration.set(key, factor);
  }
  return calibration;
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

/** The value v minimising Σ w·|v − x| over (x, w) pairs. */
function weightedMedian(pairs: [number, number][]): number {
  pairs.sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, w] of pairs) total += w;
  let cumulative = 0;
  for (const [x, w] of pairs) {
    cumulative += w;
    if (cumulative >= total / 2) return x;
  }
  return 1;
}
