import { HISTORY_DAYS } from "../src/batch/batch-context.js";
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
 * The series as a model may see them at `origin`: every sale from the origin on is unknown.
 * Calendars and promotions stay, as a store knows its opening days and planned promotions.
 */
export function maskedStore(store: BenchStore, origin: number): BenchStore {
  return {
    ...store,
    series: store.series.map((s) => ({ ...s, input: maskedInput(s.input, origin) })),
  };
}

export function maskedInput(input: SeriesInput, origin: number): SeriesInput {
  const sales = new Float64Array(input.sales.length).fill(Number.NaN);
  sales.set(input.sales.subarray(0, origin));
  return { ...input, sales };
}

/**
 * A masked store as the nightly batch would hold it at `origin`: its last HISTORY_DAYS days and
 * the horizon, on a calendar of their own, with the event types that occur in them. Optiflow is
 * scored on this view, so that the bench measures the history length the batch serves from
 * (the Italian set holds four years, Prophet's example eight); the references keep them all.
 * Returns the view and the origin's index in it.
 */
export function batchView(
  masked: BenchStore,
  origin: number,
): { store: BenchStore; origin: number } {
  const start = Math.max(0, origin - HISTORY_DAYS);
  const end = Math.min(masked.calendar.length, origin + HORIZON);
  const slice = <T extends Float64Array | Float32Array | Uint8Array>(a: T): T =>
    a.subarray(start, end) as T;
  const calendar: StoreCalendar = {
    firstDay: masked.calendar.firstDay + start,
    length: end - start,
    open: slice(masked.calendar.open),
    events: masked.calendar.events
      .map((e) => ({ type: e.type, active: slice(e.active) }))
      .filter((e) => e.active.includes(1)),
  };
  const series = masked.series.map((s) => ({
    ...s,
    input: { sales: slice(s.input.sales), discount: slice(s.input.discount), calendar },
  }));
  return { store: { ...masked, calendar, series }, origin: origin - start };
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
