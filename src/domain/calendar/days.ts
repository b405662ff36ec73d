/**
 * Calendar days as integers (days since 1970-01-01) so that series can be indexed by
 * plain arithmetic. The legacy base stores local store days as 'YYYY-MM-DD'; these are
 * calendar dates, not instants, so they are handled in UTC to avoid any DST shift.
 */

export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class InvalidDateError extends Error {
  constructor(readonly value: string) {
    super(`invalid date "${value}": expected YYYY-MM-DD`);
    this.name = "InvalidDateError";
  }
}

/** Parses 'YYYY-MM-DD' strictly (rejects 2023-02-30) into a day number. */
export function dayFromIso(value: string): number {
  const match = ISO_DATE.exec(value);
  if (!match) throw new InvalidDateError(value);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day
  ) {
    throw new InvalidDateError(value);
  }
  return Math.round(ms / MS_PER_DAY);
}

export function isValidIsoDate(value: string): boolean {
  try {
    dayFromIso(value);
    return true;
  } catch {
    return false;
  }
}

export function isoFromDay(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function dayFromParts(year: number, month: number, dayOfMonth: number): number {
  return Math.round(Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY);
}

export function yearOfDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

export function monthOfDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCMonth() + 1;
}

/** 0 = Monday … 6 = Sunday, the order of the legacy `jours_ouverture` masks. */
export function weekdayOfDay(day: number): number {
  // 1970-01-01 was a Thursday (index 3 when Monday is 0).
  return (((day + 3) % 7) + 7) % 7;
}

/** Day of year, 0-based (1 January = 0). */
export function dayOfYear(day: number): number {
  return day - dayFromParts(yearOfDay(day), 1, 1);
}

/** Monday of the ISO week containing `day`: weekly totals are keyed by it. */
export function weekStartOfDay(day: number): number {
  return day - weekdayOfDay(day);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return isoFromDay(dayFromIso(date) + days);
}
