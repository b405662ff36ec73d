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
      if (open[i] === 0) entry.closed++;
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
