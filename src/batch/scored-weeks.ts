import { dayFromIso, isoFromDay, weekStartOfDay } from "../domain/calendar/days.js";

/** How many complete weeks steps 5 and B score the stored forecasts on. */
export const SCORED_WEEKS = 8;

/** The Mondays of the last `weeks` complete weeks before `today`'s, oldest first. */
export function lastCompleteWeeks(today: number, weeks = SCORED_WEEKS): string[] {
  const thisWeek = weekStartOfDay(today);
  return Array.from({ length: weeks }, (_, k) => isoFromDay(thisWeek - 7 * (weeks - k)));
}

/**
 * Per series, the units sold in each of some weeks (summed from the history step 2 reads, sales
 * rows as they are: before stock-outs, closed days and excluded days are set apart), which steps
 * 5 and B score the stored forecasts against. Summing the sales table's rows again, week by
 * week through its date index, cost 60 ms a week on 10,000 series: half a second a night once
 * eight weeks are stored, on rows the night had already read.
 */
export interface WeekSales {
  weekStarts: readonly string[];
  /** Units per week, in `weekStarts`' order; a series without any sale in them is absent. */
  bySeries: ReadonlyMap<string, Float64Array>;
}

/** `sales`: units per series and day index from `firstDay` (the history as read). */
export function weekSalesOf(
  sales: ReadonlyMap<string, Float64Array>,
  firstDay: number,
  weekStarts: readonly string[],
): WeekSales {
  const starts = weekStarts.map((w) => dayFromIso(w) - firstDay);
  const bySeries = new Map<string, Float64Array>();
  for (const [key, days] of sales) {
    const weeks = new Float64Array(starts.length);
    let sold = false;
    starts.forEach((start, w) => {
      let sum = 0;
      for (let i = Math.max(0, start); i < Math.min(days.length, start + 7); i++)
        sum += days[i] as number;
      weeks[w] = sum;
      if (sum !== 0) sold = true;
    });
    if (sold) bySeries.set(key, weeks);
  }
  return { weekStarts, bySeries };
}
