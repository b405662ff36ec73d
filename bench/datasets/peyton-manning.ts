import { existsSync, readFileSync } from "node:fs";
import { dayFromIso } from "../../src/domain/calendar/days.js";
import type { StoreCalendar } from "../../src/domain/forecast/model-input.js";
import { type BenchDataset, hideFinalWindow } from "./bench-dataset.js";

export const PROPHET_EXAMPLES_DIR = new URL(
  "../../../../shared/data/prophet-examples/",
  import.meta.url,
);

export interface PeytonData {
  days: { date: string; views: number }[];
  events: { type: string; date: string; upperWindow: number }[];
}

/**
 * Prophet's quick-start series (daily log page views of a Wikipedia page) with its playoff and
 * superbowl days. Loaded as counts, exp(y) rounded, so that it can stand for an article's sales.
 */
export function readPeyton(): PeytonData | null {
  const series = new URL("example_wp_log_peyton_manning.csv", PROPHET_EXAMPLES_DIR);
  if (!existsSync(series)) return null;
  const days = readFileSync(series, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [date, y] = line.replaceAll('"', "").split(",");
      return { date: date as string, views: Math.round(Math.exp(Number(y))) };
    });
  const events = readFileSync(new URL("peyton_manning_holidays.csv", PROPHET_EXAMPLES_DIR), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [type, date, , upper] = line.replaceAll('"', "").split(",");
      return {
        type: (type as string).toUpperCase(),
        date: date as string,
        upperWindow: Number(upper),
      };
    });
  return { days, events };
}

export function loadPeytonDataset(today = "2015-12-24", horizon = 28): BenchDataset | null {
  const data = readPeyton();
  if (!data) return null;
  const firstDay = dayFromIso(data.days[0]!.date);
  const origin = dayFromIso(today) - firstDay;
  const length = origin + horizon;
  const sales = new Float64Array(length).fill(Number.NaN);
  for (const d of data.days) {
    const i = dayFromIso(d.date) - firstDay;
    if (i >= 0 && i < length) sales[i] = d.views;
  }
  const byType = new Map<string, Uint8Array>();
  for (const e of data.events) {
    const active = byType.get(e.type) ?? new Uint8Array(length);
    for (let k = 0; k <= e.upperWindow; k++) {
      const i = dayFromIso(e.date) - firstDay + k;
      if (i >= 0 && i < length) active[i] = 1;
    }
    byType.set(e.type, active);
  }
  const calendar: StoreCalendar = {
    firstDay,
    length,
    open: new Uint8Array(length).fill(1),
    events: [...byType].map(([type, active]) => ({ type, active })),
  };
  const { visible, hidden } = hideFinalWindow(sales, origin);
  return {
    name: `prophet-examples: Peyton Manning page views (hidden ${horizon} days from ${today})`,
    description: "Prophet's quick-start series with its playoff and superbowl events",
    calendar,
    series: [
      { id: "peyton", input: { sales: visible, discount: new Float32Array(length), calendar } },
    ],
    origin,
    horizon,
    actuals: new Map([["peyton", hidden]]),
  };
}
