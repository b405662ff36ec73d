/**
 * What every forecasting model receives: one article in one store, as plain arrays over a
 * timeline shared with the store's calendar. Index `origin` is the first day to forecast;
 * models only read `sales` before it, so one input serves the final forecast and every
 * backtest origin.
 */
export interface SeriesInput {
  /** Units sold per day; NaN where the day is unknown or censored (stock-out, closed). */
  sales: Float64Array;
  /** Discount per day, 0..1 (0 = no promotion), over history and horizon. */
  discount: Float32Array;
  calendar: StoreCalendar;
}

/** One store's timeline: shared by all its series, so its design is built once. */
export interface StoreCalendar {
  /** Day number of index 0. */
  firstDay: number;
  /** History + horizon. */
  length: number;
  /** 1 when the store opens that day (history: observed; future: mask and known closures). */
  open: Uint8Array;
  /** Event indicators by type (e.g. FERIE, VACANCES_SCOLAIRES, or a user-declared type). */
  events: ReadonlyArray<{ type: string; active: Uint8Array }>;
}

export type ForecastFunction = (
  input: SeriesInput,
  origin: number,
  horizon: number,
) => Float64Array;

/** Zero on closed days, as no sale can happen then. */
export function applyClosedDays(
  forecast: Float64Array,
  calendar: StoreCalendar,
  origin: number,
): Float64Array {
  for (let h = 0; h < forecast.length; h++) if (calendar.open[origin + h] === 0) forecast[h] = 0;
  return forecast;
}

/**
 * Actual sales over [from, to) as accuracy measures need them: closed days count as zero sold,
 * censored days (stock-outs) stay NaN so that the weeks holding them are left out.
 */
export function actualsForScoring(input: SeriesInput, from: number, to: number): Float64Array {
  const out = new Float64Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) {
    out[i - from] = input.calendar.open[i] === 0 ? 0 : (input.sales[i] as number);
  }
  return out;
}

/** Whether the week from `start` can be scored: each of its open days has known sales. */
export function weekIsScorable(input: SeriesInput, start: number): boolean {
  for (let i = start; i < start + 7; i++) {
    if (i < 0 || i >= input.sales.length) return false;
    if (input.calendar.open[i] !== 0 && !Number.isFinite(input.sales[i] as number)) return false;
  }
  return true;
}

/** Below this many known days a series borrows its category's weekly profile. */
export const MIN_DAYS_FOR_OWN_MODEL = 56;

/** One series of a store as the pipeline (forecast-store.ts) takes it. */
export interface StoreSeries {
  key: string;
  input: SeriesInput;
  /** Known (uncensored, open) days of history. */
  knownDays: number;
  categoryId: number | null;
}

/**
 * Whether a series takes part in what the store learns as a whole (the pooled model's rows, the
 * default model's sample, the weekday profiles): enough known days, and a sale before `origin`.
 * An article listed chain-wide that a store has never sold is a run of zeros: it says nothing of
 * that store's demand, and would take rows and sample places from the series that do. Its own
 * forecast is unchanged.
 */
export function teachesStoreModels(
  s: StoreSeries,
  origin: number,
  /** The rule before 2026-12-04, for the bench: enough known days, sold or not. */
  neverSoldTeaches = false,
): boolean {
  if (s.knownDays < MIN_DAYS_FOR_OWN_MODEL) return false;
  if (neverSoldTeaches) return true;
  const sales = s.input.sales;
  for (let i = Math.min(origin, sales.length) - 1; i >= 0; i--)
    if ((sales[i] as number) > 0) return true;
  return false;
}
