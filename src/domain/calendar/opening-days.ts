import { isoFromDay, weekdayOfDay, yearOfDay } from "./days.js";
import { easterSunday } from "./french-holidays.js";

/**
 * A legacy weekday mask such as '1111110' (Monday..Sunday, 1 = open). Used for store opening
 * days (`magasins.jours_ouverture`) and supplier order days (`fournisseurs.jours_commande`).
 */
export type WeekdayMask = readonly boolean[];

const MASK = /^[01]{7}$/;

/** Parses a mask; an unreadable legacy value falls back to `fallback` rather than failing. */
export function parseWeekdayMask(
  value: string | null | undefined,
  fallback = "1111111",
): WeekdayMask {
  const text = value !== null && value !== undefined && MASK.test(value) ? value : fallback;
  return [...text].map((c) => c === "1");
}

export function isMaskedDay(mask: WeekdayMask, day: number): boolean {
  return mask[weekdayOfDay(day)] === true;
}

/** The first day ≥ `from` allowed by `mask`, or null if the mask allows no day at all. */
export function nextMaskedDay(mask: WeekdayMask, from: number): number | null {
  for (let day = from; day < from + 7; day++) if (isMaskedDay(mask, day)) return day;
  return null;
}

/**
 * Days set by Easter, in days from Easter Sunday: Good Friday, Easter Sunday and Monday,
 * Ascension, Whit Sunday and Monday. Holidays in much of Europe, closing days for many stores,
 * and on another date each year, so that a rule by calendar date never sees them recur.
 */
export const EASTER_OFFSETS: readonly number[] = [-2, 0, 1, 39, 49, 50];

/**
 * A store's open days over its history and ahead (1 open, 0 closed), `length` days from
 * `firstDay`, the first `historyDays` of them known. Known days: open when the store sold
 * something (a day without a single sale was closed, whatever the mask: a holiday, works).
 * Ahead: the weekly mask, less the days the store was closed on at every past occurrence where
 * its mask had it open: a calendar date (25 December) or a day set by Easter (EASTER_OFFSETS).
 */
export function storeOpenDays(
  mask: WeekdayMask,
  soldOn: (day: number) => boolean,
  firstDay: number,
  historyDays: number,
  length: number,
  /**
   * A past day that sold almost nothing (strayDays): counted as closed when the closures ahead
   * are inferred, and left in the history as it is.
   */
  nearlyClosed: (day: number) => boolean = () => false,
): Uint8Array {
  const open = new Uint8Array(length);
  const occurrences = new Map<string, { closed: number; seen: number }>();
  for (let i = 0; i < Math.min(historyDays, length); i++) {
    const day = firstDay + i;
    open[i] = soldOn(day) ? 1 : 0;
    if (!isMaskedDay(mask, day)) continue;
    for (const key of recurringKeys(day)) {
      const entry = occurrences.get(key) ?? { closed: 0, seen: 0 };
      entry.seen++;
      if (open[i] === 0 || nearlyClosed(day)) entry.closed++;
      occurrences.set(key, entry);
    }
  }
  for (let i = historyDays; i < length; i++) {
    const day = firstDay + i;
    const alwaysClosed = recurringKeys(day).some((key) => {
      const usual = occurrences.get(key);
      return usual !== undefined && usual.seen > 0 && usual.closed === usual.seen;
    });
    open[i] = isMaskedDay(mask, day) && !alwaysClosed ? 1 : 0;
  }
  return open;
}

/** What makes a day recur from year to year: its calendar date, and its place after Easter. */
function recurringKeys(day: number): string[] {
  const iso = isoFromDay(day);
  const keys = [iso.slice(5)];
  const offset = day - easterSunday(yearOfDay(day));
  if (EASTER_OFFSETS.includes(offset)) keys.push(`easter${offset}`);
  return keys;
}

/**
 * Below this share of the store's median day, a day's sales are stray entries on a closed day
 * (a till's late entry, a correction), not trade. On the 9 Walmart stores, two stores sold 1 to
 * 6 units of their 28 items on past Christmases, 0.8 to 2.8% of a median day, and the batch
 * forecast them a normal Christmas Day (docs/FORECASTING.md). An open day, even a short one
 * (a Sunday morning, Christmas Eve), sells a good share of a median day; and only a date that
 * sold this little every past year is closed ahead, so a bad day (a storm, a till failure) does
 * not count.
 */
export const STRAY_SALES_SHARE = 0.1;

/**
 * The past days whose total sales (`totals`, one per history day, 0 when nothing sold) fall
 * under STRAY_SALES_SHARE of the median day with a sale: as indices into `totals`.
 */
export function strayDays(totals: ArrayLike<number>): Set<number> {
  const sold = Array.from(totals).filter((v) => v > 0);
  if (sold.length === 0) return new Set();
  sold.sort((a, b) => a - b);
  const median = sold[Math.floor(sold.length / 2)] as number;
  const stray = new Set<number>();
  for (let i = 0; i < totals.length; i++) {
    const v = totals[i] as number;
    if (v > 0 && v < STRAY_SALES_SHARE * median) stray.add(i);
  }
  return stray;
}
