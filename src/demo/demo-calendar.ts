import { dayFromParts, dayOfYear, weekdayOfDay, yearOfDay } from "../domain/calendar/days.js";
import {
  frenchPublicHolidays,
  frenchSalesPeriods,
  frenchSchoolHolidays,
} from "../domain/calendar/french-holidays.js";
import { isMaskedDay, parseWeekdayMask } from "../domain/calendar/opening-days.js";
import type { CategoryProfile, StoreSpec } from "./catalog.js";
import { integer, type Rng, uniform } from "./random.js";

/** A row of the legacy `evenements` table, with day numbers. */
export interface DemoEvent {
  name: string;
  type: string;
  startDay: number;
  endDay: number;
  storeId: number | null;
}

/** Days every store is closed, whatever its weekly mask. */
const CLOSED_HOLIDAYS = ["Jour de l'an", "Fête du Travail", "Noël"];

export function buildEvents(
  firstDay: number,
  lastDay: number,
  stores: readonly StoreSpec[],
  rng: Rng,
): DemoEvent[] {
  const events: DemoEvent[] = [];
  for (let year = yearOfDay(firstDay); year <= yearOfDay(lastDay) + 1; year++) {
    for (const e of [
      ...frenchPublicHolidays(year),
      ...frenchSchoolHolidays(year),
      ...frenchSalesPeriods(year),
    ]) {
      events.push({
        name: `${e.name} ${year}`,
        type: e.type,
        startDay: e.startDay,
        endDay: e.endDay,
        storeId: null,
      });
    }
    const heatwave = dayFromParts(year, 6, 20) + integer(rng, 0, 45);
    events.push({
      name: `Canicule ${year}`,
      type: "METEO",
      startDay: heatwave,
      endDay: heatwave + integer(rng, 3, 8),
      storeId: null,
    });
    const match = dayFromParts(year, 6, 10) + integer(rng, 0, 30);
    events.push({
      name: `Match de l'équipe de France ${year}`,
      type: "SPORT",
      startDay: match,
      endDay: match,
      storeId: null,
    });
    for (const store of stores) {
      const fair = dayFromParts(year, 9, 1) + integer(rng, 0, 30);
      events.push({
        name: `Braderie de ${store.city} ${year}`,
        type: "LOCAL",
        startDay: fair,
        endDay: fair + 1,
        storeId: store.id,
      });
    }
  }
  // The legacy base knows its calendar a little ahead (next year's holidays), like a real one.
  return events
    .filter((e) => e.endDay >= firstDay && e.startDay <= lastDay + 180)
    .sort((a, b) => a.startDay - b.startDay || a.name.localeCompare(b.name));
}

/**
 * Per store and category, the demand multiplier of each day from calendar effects, and
 * whether the store is open. Index 0 is `firstDay`.
 */
export interface StoreCalendar {
  open: Uint8Array;
  /** [category index][day index] */
  factor: Float32Array[];
}

export function buildStoreCalendar(
  store: StoreSpec,
  categories: readonly CategoryProfile[],
  events: readonly DemoEvent[],
  firstDay: number,
  dayCount: number,
): StoreCalendar {
  const mask = parseWeekdayMask(store.openingMask);
  const open = new Uint8Array(dayCount);
  for (let i = 0; i < dayCount; i++) open[i] = isMaskedDay(mask, firstDay + i) ? 1 : 0;
  const factor = categories.map(() => new Float32Array(dayCount).fill(1));
  for (const event of events) {
    if (event.storeId !== null && event.storeId !== store.id) continue;
    const closes = event.type === "FERIE" && CLOSED_HOLIDAYS.some((n) => event.name.startsWith(n));
    for (let day = event.startDay; day <= event.endDay; day++) {
      const i = day - firstDay;
      if (i < 0 || i >= dayCount) continue;
      if (closes) open[i] = 0;
      categories.forEach((category, c) => {
        const row = factor[c] as Float32Array;
        const effect = category.eventEffects[event.type];
        if (effect !== undefined) row[i] = (row[i] as number) * effect;
        // Shoppers stock up the day before a public holiday, food above all.
        if (event.type === "FERIE" && i > 0) {
          row[i - 1] = (row[i - 1] as number) * (category.parent === "Alimentaire" ? 1.3 : 1.05);
        }
      });
    }
  }
  return { open, factor };
}

/** Weekly × yearly profile of a category, yearly part normalised to a mean of 1. */
export function buildSeasonalProfile(
  category: CategoryProfile,
  firstDay: number,
  dayCount: number,
): Float32Array {
  const yearly = new Float64Array(366);
  for (let d = 0; d < 366; d++) {
    let value = 1;
    for (const [centre, width, height] of category.yearlyBumps) {
      const distance = Math.min(Math.abs(d - centre), 365 - Math.abs(d - centre));
      value += height * Math.exp(-0.5 * (distance / width) ** 2);
    }
    yearly[d] = value;
  }
  const mean = yearly.reduce((s, v) => s + v, 0) / 366;
  const profile = new Float32Array(dayCount);
  for (let i = 0; i < dayCount; i++) {
    const day = firstDay + i;
    profile[i] =
      ((yearly[dayOfYear(day)] as number) / mean) * (category.weekly[weekdayOfDay(day)] as number);
  }
  return profile;
}

/** A promotion row: article-level or category-level, for one store or all. */
export interface DemoPromotion {
  label: string;
  articleId: number | null;
  categoryId: number | null;
  storeId: number | null;
  startDay: number;
  endDay: number;
  discountPct: number;
}

export function randomPromotionWindow(
  rng: Rng,
  firstDay: number,
  lastDay: number,
): { startDay: number; endDay: number } {
  const startDay = integer(rng, firstDay, lastDay + 30);
  return { startDay, endDay: startDay + integer(rng, 6, 13) };
}

export function randomDiscount(rng: Rng): number {
  return Math.round(uniform(rng, 10, 40) / 5) * 5;
}
