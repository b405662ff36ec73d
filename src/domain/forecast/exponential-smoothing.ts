import { weekdayOfDay } from "../calendar/days.js";
import { weekdayProfile } from "./category-profile.js";
import { applyClosedDays, type SeriesInput } from "./model-input.js";

/**
 * Simple exponential smoothing of the weekday-adjusted sales (ETS(A,N,M) in spirit, as
 * statsforecast's AutoETS often picks on retail days): a level that follows the recent sales at
 * a pace chosen per series, times the series' own weekday profile. Between the 28-day mean (one
 * fixed window) and seasonal naive (one week), the pace is the series' own.
 */

/** Smoothing constants tried; the one with the least one-step error on the fit's last half wins. */
const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.4] as const;
/** Days the level is fitted on: a year, as the profile. */
const FIT_DAYS = 364;
/** Days the first level is the mean of. */
const INITIAL_DAYS = 28;

export function weekdaySmoothing(
  input: SeriesInput,
  origin: number,
  horizon: number,
): Float64Array {
  const profile = weekdayProfile([input], origin, FIT_DAYS);
  const { days, values } = adjustedSales(input, origin, profile);
  const out = new Float64Array(horizon);
  if (values.length === 0) return applyClosedDays(out, input.calendar, origin);
  const start = Math.min(INITIAL_DAYS, values.length);
  let initial = 0;
  for (let k = 0; k < start; k++) initial += values[k] as number;
  initial /= start;
  const scoredFrom = Math.max(start, values.length >> 1);
  let best = initial;
  let bestError = Number.POSITIVE_INFINITY;
  for (const alpha of ALPHAS) {
    let level = initial;
    let error = 0;
    for (let k = start; k < values.length; k++) {
      const z = values[k] as number;
      // The error is the sales', not the adjusted value's: a weak weekday weighs what it sells.
      if (k >= scoredFrom) error += Math.abs(z - level) * (profile[days[k] as number] as number);
      level += alpha * (z - level);
    }
    if (error < bestError) {
      bestError = error;
      best = level;
    }
  }
  const first = input.calendar.firstDay;
  for (let h = 0; h < horizon; h++)
    out[h] = best * (profile[weekdayOfDay(first + origin + h)] as number);
  return applyClosedDays(out, input.calendar, origin);
}

/** The fit's open, known days (weekday, sales over the weekday's share), oldest first. */
function adjustedSales(input: SeriesInput, origin: number, profile: readonly number[]) {
  const first = input.calendar.firstDay;
  const days: number[] = [];
  const values: number[] = [];
  for (let i = Math.max(0, origin - FIT_DAYS); i < origin; i++) {
    const y = input.sales[i] as number;
    if (input.calendar.open[i] !== 1 || !Number.isFinite(y)) continue;
    const w = weekdayOfDay(first + i);
    const share = profile[w] as number;
    if (!(share > 0)) continue;
    days.push(w);
    values.push(Math.max(0, y) / share);
  }
  return { days, values };
}
