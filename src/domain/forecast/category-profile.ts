import { weekdayOfDay } from "../calendar/days.js";
import { applyClosedDays, type SeriesInput } from "./model-input.js";

/**
 * Articles with under 8 weeks of history borrow their category's weekly profile (SPEC §5): the
 * level comes from the article's few known days, the shape from its many siblings.
 */
export type WeekdayProfile = readonly number[];

/**
 * Days with a sale a profile must hold before its shape is believed: the shape read from the
 * sales is blended with a flat week, weighted n / (n + this) for n such days. A store's or a
 * category's profile holds thousands and keeps its shape; one read from a handful of sales (a new
 * store, one spike) said some weekdays sell nothing, and a new article that sold on them had its
 * level divided by almost nothing: a week forecast on one day, ten times anything it ever sold
 * (forecast-store.property.test.ts found both). n is the days' effective number, (Σ v)² / Σ v²
 * (Kish's): n for n days of one unit each, but a single day of 40 units among 24 of one counts
 * as fewer than 3, not 25 — the week's shape it shows is that one day's.
 */
const PRIOR_SELLING_DAYS = 28;

/**
 * Mean sales per weekday over a set of series (open days with known sales), normalised to a mean
 * of 1 over the weekdays seen open and blended with a flat week by how much it holds. A weekday
 * never seen open in the year stays at 0: a store closed on Sundays whose legacy opening mask says
 * otherwise is not forecast Sunday sales. A flat week when nothing was seen at all.
 */
export function weekdayProfile(
  inputs: readonly SeriesInput[],
  origin: number,
  days = 364,
): WeekdayProfile {
  const sums = new Float64Array(7);
  const counts = new Float64Array(7);
  let units = 0;
  let squares = 0;
  for (const input of inputs) {
    const first = input.calendar.firstDay;
    for (let i = Math.max(0, origin - days); i < origin; i++) {
      const v = input.sales[i] as number;
      if (input.calendar.open[i] !== 1 || !Number.isFinite(v)) continue;
      const w = weekdayOfDay(first + i);
      // A return is not a day's demand: it would pull its weekday below nothing.
      const sold = Math.max(0, v);
      sums[w] = (sums[w] as number) + sold;
      counts[w] = (counts[w] as number) + 1;
      units += sold;
      squares += sold * sold;
    }
  }
  const means = Array.from(sums, (s, w) =>
    (counts[w] as number) > 0 ? s / (counts[w] as number) : Number.NaN,
  );
  const observed = means.filter(Number.isFinite);
  if (observed.length === 0) return [1, 1, 1, 1, 1, 1, 1];
  const overall = observed.reduce((a, b) => a + b, 0) / observed.length;
  if (overall === 0) return means.map((m) => (Number.isFinite(m) ? 1 : 0));
  const effectiveDays = (units * units) / squares;
  const weight = effectiveDays / (effectiveDays + PRIOR_SELLING_DAYS);
  return means.map((m) => (Number.isFinite(m) ? weight * (m / overall) + (1 - weight) : 0));
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
    if (input.calendar.open[i] !== 1 || !Number.isFinite(v)) continue;
    sold += Math.max(0, v);
    weight += profile[weekdayOfDay(first + i)] ?? 1;
  }
  const level = weight > 0 ? sold / weight : 0;
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++)
    out[h] = level * (profile[weekdayOfDay(first + origin + h)] ?? 1);
  return applyClosedDays(out, input.calendar, origin);
}
