import { HISTORY_DAYS } from "../src/batch/batch-context.js";
import { weekdayOfDay } from "../src/domain/calendar/days.js";
import { parseWeekdayMask, storeOpenDays, strayDays } from "../src/domain/calendar/opening-days.js";
import type { SeriesInput, StoreCalendar } from "../src/domain/forecast/model-input.js";
import type { BenchPanel, BenchStore } from "./datasets/panel.js";

/**
 * The evaluation protocol of SPEC §5: many hidden periods per data set, split once and for all
 * into a tuning half (design choices may look at it) and a test half (they may not).
 *
 * Origins every 4 weeks over the last two years of each set, the last one 28 days before its end:
 * 26 windows of 28 days. Sorted by date, even positions are tuning, odd ones test: each half
 * spans both years and every season, and neither can be tuned by picking a season.
 */
export const HORIZON = 28;
export const EVERY_DAYS = 28;
export const WINDOWS = 26;

export type Half = "tuning" | "test";

export interface BenchWindow {
  origin: number;
  half: Half;
}

export function rollingWindows(panel: BenchPanel, count = WINDOWS): BenchWindow[] {
  const last = panel.length - HORIZON;
  const origins = Array.from({ length: count }, (_, k) => last - EVERY_DAYS * k)
    .filter((o) => o >= 365)
    .sort((a, b) => a - b);
  return origins.map((origin, k) => ({ origin, half: k % 2 === 0 ? "tuning" : "test" }));
}

/** The quick bench: a third of the windows of each half, the most recent ones. */
export function quickWindows(windows: readonly BenchWindow[]): BenchWindow[] {
  const keep = (half: Half) =>
    windows.filter((w) => w.half === half).slice(-Math.ceil(windows.length / 6));
  return [...keep("tuning"), ...keep("test")].sort((a, b) => a.origin - b.origin);
}

/**
 * The series as a model may see them at `origin`: every sale from the origin on is unknown, and
 * so is every closing day from the origin on, inferred instead from the past as the batch does
 * (calendarKnownAt). Promotions and events stay, as a store knows its planned promotions and the
 * holidays ahead.
 */
export function maskedStore(store: BenchStore, origin: number): BenchStore {
  const calendar = calendarKnownAt(store, origin);
  return {
    ...store,
    calendar,
    series: store.series.map((s) => ({
      ...s,
      input: { ...maskedInput(s.input, origin), calendar },
    })),
  };
}

/**
 * A store's calendar as the batch would hold it at `origin`. The data sets' closing days are
 * read from the sales (a day a store sold nothing) or from the source's own list of closures:
 * from the origin on, both tell what the store only knew afterwards. The days before the origin
 * stay as they were; those from the origin on are inferred from the last HISTORY_DAYS before it
 * by the batch's own rule (storeOpenDays, with its stray sales), on the store's weekly mask.
 * Every model of the bench, references included, gets this calendar; scores still use the real
 * one (windowActuals).
 */
export function calendarKnownAt(store: BenchStore, origin: number): StoreCalendar {
  const known = store.calendar;
  const start = Math.max(0, origin - HISTORY_DAYS);
  const totals = new Float64Array(origin - start);
  for (const s of store.series)
    for (let i = start; i < origin; i++) {
      const v = s.input.sales[i] as number;
      if (v > 0) totals[i - start] = (totals[i - start] as number) + v;
    }
  const stray = strayDays(totals);
  const firstDay = known.firstDay + start;
  const ahead = storeOpenDays(
    parseWeekdayMask(store.openingMask ?? weeklyMaskBefore(known, origin)),
    (day) => known.open[day - known.firstDay] === 1,
    firstDay,
    origin - start,
    known.length - start,
    (day) => stray.has(day - firstDay),
  );
  const open = Uint8Array.from(known.open);
  open.set(ahead.subarray(origin - start), origin);
  return { ...known, open };
}

export function maskedInput(input: SeriesInput, origin: number): SeriesInput {
  const sales = new Float64Array(input.sales.length).fill(Number.NaN);
  sales.set(input.sales.subarray(0, origin));
  return { ...input, sales };
}

/** Weeks a weekday must have been closed in a row, before the origin, to be off the mask. */
const MASK_WEEKS = 8;

/**
 * The weekly mask a retailer would have declared for a store whose data set has none: a weekday
 * closed on each of its last MASK_WEEKS occurrences before the origin is off (a store closed on
 * Sundays); a holiday on a weekday does not make that weekday a closing day.
 */
export function weeklyMaskBefore(calendar: StoreCalendar, origin: number): string {
  const mask = Array.from({ length: 7 }, () => "1");
  if (origin < 7 * MASK_WEEKS) return mask.join("");
  for (let i = origin - 7; i < origin; i++) {
    let closed = true;
    for (let week = 0; week < MASK_WEEKS && closed; week++)
      closed = calendar.open[i - 7 * week] === 0;
    if (closed) mask[weekdayOfDay(calendar.firstDay + i)] = "0";
  }
  return mask.join("");
}

/**
 * A masked store as the nightly batch would hold it at `origin`: its last HISTORY_DAYS days and
 * the horizon, on a calendar of their own, with the event types that occur in them. Optiflow is
 * scored on this view, so that the bench measures the history length the batch serves from
 * (the Italian set holds four years, Prophet's example eight); the references keep them all.
 * Where the set starts less than HISTORY_DAYS before the origin, the view still starts
 * HISTORY_DAYS before it, the days before the set's first closed and unknown: the batch reads
 * three years whatever the data holds, and its pooled model's origins and its Prophet-like trend
 * are placed on that timeline (the TX3 set's 2014-05-23 window scored 42.6% in the bench and
 * 45.2% through the batch without this).
 * Returns the view and the origin's index in it.
 */
export function batchView(
  masked: BenchStore,
  origin: number,
): { store: BenchStore; origin: number } {
  const start = origin - HISTORY_DAYS;
  const end = Math.min(masked.calendar.length, origin + HORIZON);
  const calendar: StoreCalendar = {
    firstDay: masked.calendar.firstDay + start,
    length: end - start,
    open: span(masked.calendar.open, start, end, 0),
    events: masked.calendar.events
      .map((e) => ({ type: e.type, active: span(e.active, start, end, 0) }))
      .filter((e) => e.active.includes(1)),
  };
  const series = masked.series.map((s) => ({
    ...s,
    input: {
      sales: span(s.input.sales, start, end, Number.NaN),
      discount: span(s.input.discount, start, end, 0),
      calendar,
    },
  }));
  return { store: { ...masked, calendar, series }, origin: origin - start };
}

/** `a` over [start, end): a view when start ≥ 0, else a copy led by `fill` before index 0. */
function span<T extends Float64Array | Float32Array | Uint8Array>(
  a: T,
  start: number,
  end: number,
  fill: number,
): T {
  if (start >= 0) return a.subarray(start, end) as T;
  const out = new (a.constructor as new (n: number) => T)(end - start);
  out.fill(fill, 0, -start);
  out.set(a.subarray(0, end), -start);
  return out;
}

/** Known open days before `origin` (what the batch calls a series' history). */
export function knownDays(input: SeriesInput, origin: number): number {
  let n = 0;
  for (let i = 0; i < origin; i++)
    if (input.calendar.open[i] === 1 && Number.isFinite(input.sales[i] as number)) n++;
  return n;
}

/** The hidden actuals of a window, for scoring: closed days count as zero sold. */
export function windowActuals(input: SeriesInput, origin: number): Float64Array {
  const out = new Float64Array(HORIZON);
  for (let h = 0; h < HORIZON; h++) {
    const i = origin + h;
    out[h] = input.calendar.open[i] === 0 ? 0 : (input.sales[i] as number);
  }
  return out;
}

/** A fixed random sample of series ids (a seeded shuffle), the same for every window. */
export function seriesSample(ids: readonly string[], size: number, seed = 20261130): Set<string> {
  if (ids.length <= size) return new Set(ids);
  let state = seed >>> 0;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const shuffled = [...ids];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
  }
  return new Set(shuffled.slice(0, size));
}
