import { weekdayOfDay } from "./days.js";

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
