import { existsSync, readFileSync } from "node:fs";
import { dayFromIso } from "../../src/domain/calendar/days.js";
import type { StoreCalendar } from "../../src/domain/forecast/model-input.js";
import { type BenchDataset, hideFinalWindow } from "./bench-dataset.js";

export const ITALIAN_GROCERY_DIR = new URL(
  "../../../../shared/data/italian-grocery/",
  import.meta.url,
);

/**
 * One Italian grocery store, 118 pasta articles, 2014–2017 (CC BY 4.0, see
 * ../shared/data/README.md). The final `horizon` days before `endDate` are hidden.
 */
export function loadItalianGrocery(endDate = "2017-12-31", horizon = 28): BenchDataset | null {
  const salesPath = new URL("sales.csv", ITALIAN_GROCERY_DIR);
  if (!existsSync(salesPath)) return null;
  const lines = readFileSync(salesPath, "utf8").trim().split("\n").slice(1);
  const firstDay = dayFromIso("2014-01-02");
  const lastDay = dayFromIso(endDate);
  const length = lastDay - firstDay + 1;
  const origin = length - horizon;
  const bySeries = new Map<string, { sales: Float64Array; discount: Float32Array }>();
  for (const line of lines) {
    const [date, , item, sales, promo] = line.split(",");
    const i = dayFromIso(date as string) - firstDay;
    if (i < 0 || i >= length) continue;
    let entry = bySeries.get(item as string);
    if (!entry) {
      entry = { sales: new Float64Array(length).fill(0), discount: new Float32Array(length) };
      bySeries.set(item as string, entry);
    }
    entry.sales[i] = Number(sales);
    // The source only flags promotions; a flag is read as a 20% discount.
    entry.discount[i] = promo === "1" ? 0.2 : 0;
  }
  const open = new Uint8Array(length).fill(1);
  const holidays = new Uint8Array(length);
  for (const line of readFileSync(new URL("events.csv", ITALIAN_GROCERY_DIR), "utf8")
    .trim()
    .split("\n")
    .slice(1)) {
    const [date, event] = line.split(",");
    const i = dayFromIso(date as string) - firstDay;
    if (i < 0 || i >= length) continue;
    if (event === "StoreClosed") open[i] = 0;
    else holidays[i] = 1;
  }
  const calendar: StoreCalendar = {
    firstDay,
    length,
    open,
    events: [{ type: "FERIE", active: holidays }],
  };
  const dataset: BenchDataset = {
    name: `italian-grocery (hidden ${horizon} days to ${endDate})`,
    description: "118 pasta articles of one Italian grocery store, daily, with promotion flags",
    calendar,
    series: [],
    origin,
    horizon,
    actuals: new Map(),
  };
  for (const [id, entry] of bySeries) {
    const { visible, hidden } = hideFinalWindow(entry.sales, origin);
    // Closed days: unknown to the models, zero sold for the scores.
    for (let i = 0; i < length; i++) if (open[i] === 0) visible[i] = Number.NaN;
    dataset.series.push({ id, input: { sales: visible, discount: entry.discount, calendar } });
    dataset.actuals.set(id, hidden);
  }
  return dataset;
}
