import { weeklyTotals } from "../src/domain/metrics/accuracy.js";
import { emptyPromiseCounts, type PromiseCounts } from "./service-promise.js";

/**
 * What a model's forecasts of one window add up to, pooled over a set's series: weekly WAPE is
 * error / actual, bias signed / actual. Weeks holding an unknown day (a stock-out) are left out.
 */
export interface Sums {
  error: number;
  actual: number;
  signed: number;
}

export const emptySums = (): Sums => ({ error: 0, actual: 0, signed: 0 });

export function addWeeks(sums: Sums, forecast: ArrayLike<number>, actual: ArrayLike<number>): void {
  const f = weeklyTotals(forecast, false);
  const a = weeklyTotals(actual);
  for (let w = 0; w < a.length; w++) {
    const av = a[w] as number;
    const fv = f[w] as number;
    if (!Number.isFinite(av) || !Number.isFinite(fv)) continue;
    sums.error += Math.abs(fv - av);
    sums.actual += av;
    sums.signed += fv - av;
  }
}

export function merge(into: Sums, from: Sums): void {
  into.error += from.error;
  into.actual += from.actual;
  into.signed += from.signed;
}

export const wapeOf = (s: Sums): number => (s.actual > 0 ? s.error / s.actual : Number.NaN);
export const biasOf = (s: Sums): number => (s.actual > 0 ? s.signed / s.actual : Number.NaN);

/** One model on one window of a set: all series, the intermittent ones, and the reference sample. */
export interface ModelWindow {
  all: Sums;
  intermittent: Sums;
  sample: Sums;
  sampleIntermittent: Sums;
  /** Daily actuals inside the P10–P90 interval, and how many were known (Optiflow only). */
  covered: number;
  known: number;
  /** Optiflow only: the service promises checked, and kept (service-promise.ts). */
  promises: PromiseCounts;
}

export const emptyModelWindow = (): ModelWindow => ({
  all: emptySums(),
  intermittent: emptySums(),
  sample: emptySums(),
  sampleIntermittent: emptySums(),
  covered: 0,
  known: 0,
  promises: emptyPromiseCounts(),
});

export function addSeries(
  window: ModelWindow,
  forecast: ArrayLike<number>,
  actual: ArrayLike<number>,
  flags: { intermittent: boolean; inSample: boolean; onlySample?: boolean },
): void {
  if (!flags.onlySample) {
    addWeeks(window.all, forecast, actual);
    if (flags.intermittent) addWeeks(window.intermittent, forecast, actual);
  }
  if (flags.inSample) {
    addWeeks(window.sample, forecast, actual);
    if (flags.intermittent) addWeeks(window.sampleIntermittent, forecast, actual);
  }
}
