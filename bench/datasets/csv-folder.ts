import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { dayFromIso, isoFromDay } from "../../src/domain/calendar/days.js";
import { HOLIDAY_TYPE } from "../../src/domain/calendar/store-events.js";
import type { StoreCalendar } from "../../src/domain/forecast/model-input.js";
import { dayOfCell, eachCsvRow, numberOf } from "./csv-reader.js";
import { type BenchPanel, closedDays, type EventRow, eventIndicators } from "./panel.js";
import { dailyDiscounts, type PriceRow } from "./prices.js";

/**
 * Any folder in the public sets' format, so that a set added to ../shared/data (or a shop's own
 * export, `npm run bench -- --data=DIR`) is measured like the others without code of its own:
 *
 * - `sales.csv`, required: a header naming `date` (YYYY-MM-DD), `item` and `sales`; `store`
 *   (one store when absent), `promo` (1 on a promotion day) and `category` are optional. An
 *   empty or non-numeric `sales` is an unknown day (a stock-out, say), not a zero;
 * - `events.csv`, optional: `date,name,type` (one indicator per type) or `date,event` (every
 *   event a public holiday); `StoreClosed` closes the store that day; a `store` column
 *   keeps an event to that store;
 * - `prices.csv`, optional: `date,store,item,price`, each price holding until the next row.
 *
 * An item is listed from its first row: the days before are unknown, the days after without a
 * row sold nothing (the sets write zero days, or leave them out as the Italian one does).
 */
export function loadCsvFolder(dir: string): BenchPanel | null {
  const salesPath = join(dir, "sales.csv");
  if (!existsSync(salesPath)) return null;
  const series = new Map<string, FolderSeries>();
  let firstDay = Number.POSITIVE_INFINITY;
  let lastDay = Number.NEGATIVE_INFINITY;
  const column = eachCsvRow(salesPath, ["date", "item", "sales"], (cells, line, column) => {
    const day = dayOfCell(cells[column.date], salesPath, line);
    const store = column.store === undefined ? "1" : (cells[column.store] ?? "");
    const item = cells[column.item] ?? "";
    const key = `${store}/${item}`;
    let s = series.get(key);
    if (!s) {
      s = { store, item, category: null, days: [], values: [], promo: [] };
      series.set(key, s);
    }
    s.days.push(day);
    s.values.push(numberOf(cells[column.sales]));
    if (column.promo !== undefined && cells[column.promo] === "1") s.promo.push(day);
    if (column.category !== undefined) s.category = cells[column.category] ?? null;
    firstDay = Math.min(firstDay, day);
    lastDay = Math.max(lastDay, day);
  });
  if (series.size === 0) return null;
  const length = lastDay - firstDay + 1;
  const events = readEvents(join(dir, "events.csv"));
  const discounts = readPrices(join(dir, "prices.csv"), firstDay, length);
  return {
    name: basename(resolve(dir)),
    description: describe(series, firstDay, length, column.promo !== undefined, discounts.size > 0),
    firstDay,
    length,
    stores: storesOf(series, events, discounts, firstDay, length),
  };
}

/** The folders of `root` holding a sales.csv, but those in `known` (sets with loaders of their own). */
export function csvFolders(root: string, known: readonly string[]): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !known.includes(name))
    .map((name) => join(root, name))
    .filter((path) => statSync(path).isDirectory() && existsSync(join(path, "sales.csv")))
    .sort();
}

interface FolderSeries {
  store: string;
  item: string;
  category: string | null;
  /** The rows' days (day numbers) and sales (NaN: unknown), in the file's order. */
  days: number[];
  values: number[];
  /** Day numbers flagged as a promotion. */
  promo: number[];
}

interface FolderEvent extends EventRow {
  /** The one store the event concerns; null: every store. */
  store: string | null;
}

/**
 * A whole store selling nothing on a day means it was closed only when it has enough series for
 * "nothing at all" to be unlikely on an open day; below that, only StoreClosed closes it.
 */
const MIN_SERIES_TO_INFER_CLOSING = 20;

function storesOf(
  series: Map<string, FolderSeries>,
  events: readonly FolderEvent[],
  discounts: Map<string, Float32Array>,
  firstDay: number,
  length: number,
): BenchPanel["stores"] {
  const categories = [...new Set([...series.values()].map((s) => s.category))]
    .filter((c) => c !== null)
    .sort();
  const stores = [...new Set([...series.values()].map((s) => s.store))].sort();
  return stores.map((store) => {
    const own = [...series.values()].filter((s) => s.store === store);
    const values = own.map((s) => dailySales(s, firstDay, length));
    const open =
      own.length >= MIN_SERIES_TO_INFER_CLOSING
        ? closedDays(values, length)
        : new Uint8Array(length).fill(1);
    const here = events.filter((e) => e.store === null || e.store === store);
    for (const e of here.filter((e) => e.type === CLOSED)) {
      const i = dayFromIso(e.date) - firstDay;
      if (i >= 0 && i < length) open[i] = 0;
    }
    const calendar: StoreCalendar = {
      firstDay,
      length,
      open,
      events: eventIndicators(
        here.filter((e) => e.type !== CLOSED),
        firstDay,
        length,
      ),
    };
    return {
      id: store,
      calendar,
      series: own.map((s, k) => {
        const sales = values[k] as Float64Array;
        for (let i = 0; i < length; i++) if (open[i] === 0) sales[i] = Number.NaN;
        const discount = discounts.get(`${s.store}/${s.item}`) ?? new Float32Array(length);
        // The sets only flag a promotion: read as a 20% discount, as the Italian set's loader does.
        for (const day of s.promo) {
          const i = day - firstDay;
          discount[i] = Math.max(discount[i] as number, 0.2);
        }
        const category = s.category === null ? null : categories.indexOf(s.category) + 1;
        return {
          id: `${s.store}/${s.item}`,
          categoryId: category,
          input: { sales, discount, calendar },
        };
      }),
    };
  });
}

/** Unknown before the first row; 0 on a later day without one; the row's value otherwise. */
function dailySales(s: FolderSeries, firstDay: number, length: number): Float64Array {
  const sales = new Float64Array(length).fill(Number.NaN);
  const first = s.days.reduce((a, b) => Math.min(a, b)) - firstDay;
  sales.fill(0, first);
  s.days.forEach((day, k) => {
    sales[day - firstDay] = s.values[k] as number;
  });
  return sales;
}

const CLOSED = "STORECLOSED";

function readEvents(path: string): FolderEvent[] {
  if (!existsSync(path)) return [];
  const events: FolderEvent[] = [];
  const column = eachCsvRow(path, ["date"], (cells, line, column) => {
    const labels = [column.type, column.event, column.name].map((i) =>
      i === undefined ? "" : (cells[i] ?? "").toUpperCase(),
    );
    // `date,event` names each holiday: one indicator for them all, the public holidays' type
    // (whose eve the model also learns), as the Italian loader does: a column per name would
    // see each one once a year.
    const type = labels.includes(CLOSED)
      ? CLOSED
      : column.type !== undefined
        ? (labels[0] as string)
        : HOLIDAY_TYPE;
    const day = dayOfCell(cells[column.date], path, line);
    const store = column.store === undefined ? null : (cells[column.store] ?? null);
    events.push({ date: isoFromDay(day), type, store });
  });
  if (column.type === undefined && column.event === undefined && column.name === undefined)
    throw new Error(`${path}: no type, event or name column`);
  return events;
}

function readPrices(path: string, firstDay: number, length: number): Map<string, Float32Array> {
  if (!existsSync(path)) return new Map();
  const rows: PriceRow[] = [];
  eachCsvRow(path, ["date", "item", "price"], (cells, line, column) => {
    const store = column.store === undefined ? "1" : cells[column.store];
    rows.push({
      key: `${store}/${cells[column.item]}`,
      day: dayOfCell(cells[column.date], path, line) - firstDay,
      price: numberOf(cells[column.price]),
    });
  });
  return dailyDiscounts(rows, length);
}

function describe(
  series: Map<string, FolderSeries>,
  firstDay: number,
  length: number,
  promo: boolean,
  prices: boolean,
): string {
  const stores = new Set([...series.values()].map((s) => s.store)).size;
  const extras = [promo ? "promotion flags" : "", prices ? "prices" : ""].filter(Boolean);
  return [
    `${series.size} series in ${stores} store${stores === 1 ? "" : "s"}`,
    `daily ${isoFromDay(firstDay)} to ${isoFromDay(firstDay + length - 1)}`,
    ...extras,
    "read from its CSV files (bench/datasets/csv-folder.ts)",
  ].join(", ");
}
