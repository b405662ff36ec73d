import { applyClosedDays, type SeriesInput } from "./model-input.js";

/**
 * The simple forecasts every model must beat (SPEC §5): they are also candidates, since on
 * many retail series nothing beats a well-chosen average.
 */

/** Seasonal naive: the last known week repeated (a censored day falls back one more week). */
export function seasonalNaive(input: SeriesInput, origin: number, horizon: number): Float64Array {
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    let value = Number.NaN;
    for (
      let index = origin - 7 + (h % 7);
      index >= 0 && index >= origin - 56 && Number.isNaN(value);
      index -= 7
    ) {
      value = input.sales[index] as number;
    }
    out[h] = Number.isFinite(value) ? Math.max(0, value) : 0;
  }
  return applyClosedDays(out, input.calendar, origin);
}

/** Mean of the same weekday over the last `weeks` weeks, skipping unknown days. */
export function weekdayMean(
  input: SeriesInput,
  origin: number,
  horizon: number,
  weeks = 8,
): Float64Array {
  const byWeekday = new Float64Array(7);
  for (let w = 0; w < 7; w++) {
    let sum = 0;
    let n = 0;
    for (let k = 1; k <= weeks; k++) {
      const index = origin - 7 * k + w;
      if (index < 0) break;
      const v = input.sales[index] as number;
      if (Number.isFinite(v) && input.calendar.open[index] === 1) {
        sum += v;
        n++;
      }
    }
    byWeekday[w] = n > 0 ? sum / n : Number.NaN;
  }
  const fallback = openDayMean(input, origin, 7 * weeks);
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    const v = byWeekday[h % 7] as number;
    out[h] = Math.max(0, Number.isFinite(v) ? v : fallback);
  }
  return applyClosedDays(out, input.calendar, origin);
}

/** Mean of the last `days` days (open, known days only), flat over the horizon. */
export function movingAverage(
  input: SeriesInput,
  origin: number,
  horizon: number,
  days = 28,
): Float64Array {
  return applyClosedDays(
    new Float64Array(horizon).fill(Math.max(0, openDayMean(input, origin, days))),
    input.calendar,
    origin,
  );
}

/** Mean over the open, known days among the last `days` days (extends back if too few). */
export function openDayMean(input: SeriesInput, origin: number, days: number): number {
  let sum = 0;
  let n = 0;
  for (let i = origin - 1; i >= 0 && (i >= origin - days || n < 7); i--) {
    if (i < origin - 4 * days) break;
    const v = input.sales[i] as number;
    if (Number.isFinite(v) && input.calendar.open[i] === 1) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}
