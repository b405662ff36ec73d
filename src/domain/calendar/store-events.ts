import { yearOfDay } from "./days.js";
import { frenchPublicHolidays } from "./french-holidays.js";

/**
 * What a store's calendar is made of (SPEC §5 "Calendar"): the retailer's `evenements`, the
 * country's public holidays where that table does not list them, and the events users declared.
 * A declared event *with* an expected impact is not learned: it applies its impact to its days
 * (forecast-store.ts `applyDeclaredImpacts`), and is kept out of the model's calendar so that no
 * learned effect is added on top. One declared *without* an impact is learned like the other
 * events of its type.
 */
export interface DatedEvent {
  type: string;
  /** Day numbers, inclusive. */
  startDay: number;
  endDay: number;
  storeId: number | null;
  categoryId: number | null;
  articleId: number | null;
  impactPct: number | null;
  source: "legacy" | "user" | "holiday";
  /** Stores it does not apply to (a holiday their own legacy rows already list). */
  exceptStores?: readonly number[];
}

/** The countries whose public holidays Optiflow knows (setting `country`); "none" adds none. */
export const COUNTRIES = ["FR", "none"] as const;
export type Country = (typeof COUNTRIES)[number];

/** The type public holidays carry in the calendar, as the legacy table names them. */
export const HOLIDAY_TYPE = "FERIE";

/**
 * The country's public holidays over [firstDay, lastDay], except the days the legacy events
 * already mark as a holiday (for every store, or for `storeId`).
 */
export function missingPublicHolidays(
  events: readonly DatedEvent[],
  country: Country,
  firstDay: number,
  lastDay: number,
): DatedEvent[] {
  if (country === "none") return [];
  const listed = events.filter((e) => e.type === HOLIDAY_TYPE && e.articleId === null);
  const out: DatedEvent[] = [];
  for (let year = yearOfDay(firstDay); year <= yearOfDay(lastDay); year++) {
    for (const holiday of frenchPublicHolidays(year)) {
      const day = holiday.startDay;
      if (day < firstDay || day > lastDay) continue;
      const covered = listed.filter((e) => e.startDay <= day && e.endDay >= day);
      // Listed for every store: nothing to add. Listed for some stores: added for the others.
      if (covered.some((e) => e.storeId === null)) continue;
      const storesCovered = covered.flatMap((e) => (e.storeId === null ? [] : [e.storeId]));
      out.push({
        type: HOLIDAY_TYPE,
        startDay: day,
        endDay: day,
        storeId: null,
        categoryId: null,
        articleId: null,
        impactPct: null,
        source: "holiday",
        ...(storesCovered.length > 0 ? { exceptStores: storesCovered } : {}),
      });
    }
  }
  return out;
}

/** Stores a holiday was added for: every store but those whose own legacy rows already list it. */
export function appliesToStore(event: DatedEvent, storeId: number): boolean {
  if (event.exceptStores?.includes(storeId)) return false;
  return event.storeId === null || event.storeId === storeId;
}

/** Events the model learns: store-wide, without a declared impact. */
export function isLearnedInCalendar(event: DatedEvent): boolean {
  return event.articleId === null && event.categoryId === null && event.impactPct === null;
}
