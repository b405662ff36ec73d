import { weekdayOfDay } from "../calendar/days.js";
import { applyClosedDays, type SeriesInput } from "./model-input.js";

/**
 * Articles with under 8 weeks of history borrow their category's weekly profile (SPEC §5): the
 * level comes from the article's few known days, the shape from its many siblings.
 */
export type WeekdayProfile = readonly number[];

/** Mean sales per weekday over a set of series, normalised to a mean of 1 over open weekdays. */
export function weekdayProfile(
  inputs: readonly SeriesInput[],
  origin: number,
  days = 364,
): WeekdayProfile {
  const sums = new Float64Array(7);
  const counts = new Float64Array(7);
  for (const input of inputs) {
    const first = input.calendar.firstDay;
    for (let i = Math.max(0, origin - days); i < origin; i++) {
      const v = input.sales[i] as number;
      if (!Number.isFinite(v)) continue;
      const w = weekdayOfDay(first + i);
      sums[w] = (sums[w] as number) + v;
      counts[w] = (counts[w] as number) + 1;
    }
  }
  const means = Array.from(sums, (s, w) =>
    (counts[w] as number) > 0 ? s / (counts[w] as number) : 0,
  );
  const positive = means.filter((m) => m > 0);
  const overall = positive.length > 0 ? positive.reduce((a, b) => a + b, 0) / positive.length : 0;
  return means.map((m) => (overall > 0 ? m / overall : 1));
}

export function forecastFromProfile(
  input: SeriesInput,
  origin: number,
  horizon: number,
  profile: WeekdayProfile,
): Float64Array {
  const first = input.calendar.firstDay;
  let sold = 0;
  let weight = 0;
  for (let i = Math.max(0, origin - 56); i < origin; i++) {
    const v = input.sales[i] as number;
    if (!Number.isFinite(v)) continue;
    sold += v;
    weight += profile[weekdayOfDay(first + i)] ?? 1;
  }
  const level = weight > 0 ? sold / weight : 0;
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++)
    out[h] = level * (profile[weekdayOfDay(first + origin + h)] ?? 1);
  return applyClosedDays(out, input.calendar, origin);
}
