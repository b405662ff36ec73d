import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { dayFromIso, isoFromDay } from "../../src/domain/calendar/days.js";
import type { StoreCalendar } from "../../src/domain/forecast/model-input.js";
import { type BenchPanel, eventIndicators, SHARED_DATA } from "./panel.js";

export const PROPHET_EXAMPLES_DIR = pathToFileURL(join(SHARED_DATA, "prophet-examples/"));

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

/** The whole Peyton Manning series as one store of one "article" (page views as counts). */
export function loadPeytonPanel(): BenchPanel | null {
  const data = readPeyton();
  if (!data) return null;
  const firstDay = dayFromIso(data.days[0]!.date);
  const length = dayFromIso(data.days.at(-1)!.date) - firstDay + 1;
  const sales = new Float64Array(length).fill(Number.NaN);
  for (const d of data.days) sales[dayFromIso(d.date) - firstDay] = d.views;
  const rows = data.events.flatMap((e) =>
    Array.from({ length: e.upperWindow + 1 }, (_, k) => ({
      date: isoFromDay(dayFromIso(e.date) + k),
      type: e.type,
    })),
  );
  const calendar: StoreCalendar = {
    firstDay,
    length,
    open: new Uint8Array(length).fill(1),
    events: eventIndicators(rows, firstDay, length),
  };
  return {
    name: "prophet-examples (Peyton Manning)",
    description:
      "Prophet's quick-start series (daily Wikipedia page views) with its playoff and superbowl days",
    firstDay,
    length,
    continuous: true,
    stores: [
      {
        id: "wiki",
        calendar,
        series: [
          {
            id: "peyton",
            categoryId: null,
            input: { sales, discount: new Float32Array(length), calendar },
          },
        ],
      },
    ],
  };
}
