import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { dayFromIso } from "../../src/domain/calendar/days.js";
import type { StoreCalendar } from "../../src/domain/forecast/model-input.js";
import { type BenchPanel, eventIndicators, readCsvRows, SHARED_DATA } from "./panel.js";

export const ITALIAN_GROCERY_DIR = pathToFileURL(join(SHARED_DATA, "italian-grocery/"));

/**
 * One Italian grocery store, 118 pasta articles, 2014-01-02 to 2017-12-31 (CC BY 4.0,
 * doi:10.17632/njdkntcpc9.1, see ../shared/data/README.md), with its promotion flags (read as a
 * 20% discount: the source only flags them) and its closing days.
 */
export function loadItalianGrocery(): BenchPanel | null {
  const salesUrl = new URL("sales.csv", ITALIAN_GROCERY_DIR);
  if (!existsSync(salesUrl)) return null;
  const firstDay = dayFromIso("2014-01-02");
  const length = dayFromIso("2017-12-31") - firstDay + 1;
  const bySeries = new Map<string, { sales: Float64Array; discount: Float32Array }>();
  for (const [date, , item, sales, promo] of readCsvRows(salesUrl)) {
    const i = dayFromIso(date as string) - firstDay;
    let entry = bySeries.get(item as string);
    if (!entry) {
      entry = { sales: new Float64Array(length).fill(0), discount: new Float32Array(length) };
      bySeries.set(item as string, entry);
    }
    entry.sales[i] = Number(sales);
    entry.discount[i] = promo === "1" ? 0.2 : 0;
  }
  const open = new Uint8Array(length).fill(1);
  const holidays: { date: string; type: string }[] = [];
  for (const [date, event] of readCsvRows(new URL("events.csv", ITALIAN_GROCERY_DIR))) {
    const i = dayFromIso(date as string) - firstDay;
    if (i < 0 || i >= length) continue;
    if (event === "StoreClosed") open[i] = 0;
    else holidays.push({ date: date as string, type: "FERIE" });
  }
  const calendar: StoreCalendar = {
    firstDay,
    length,
    open,
    events: eventIndicators(holidays, firstDay, length),
  };
  return {
    name: "italian-grocery",
    description:
      "118 pasta articles of one Italian grocery store, daily 2014–2017, promotion flags",
    firstDay,
    length,
    stores: [
      {
        id: "IT",
        calendar,
        series: [...bySeries].map(([id, { sales, discount }]) => {
          for (let i = 0; i < length; i++) if (open[i] === 0) sales[i] = Number.NaN;
          // The brand (B1…B4) stands for the category: its series share a profile.
          return { id, input: { sales, discount, calendar }, categoryId: Number(id.slice(1, 2)) };
        }),
      },
    ],
  };
}
