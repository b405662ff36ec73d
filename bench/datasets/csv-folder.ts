import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { dayFromIso, isoFromDay, isValidIsoDate } from "../../src/domain/calendar/days.js";
import { HOLIDAY_TYPE } from "../../src/domain/calendar/store-events.js";
import type { StoreCalendar } from "../../src/domain/forecast/model-input.js";
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
  const sales = readCsvTable(salesPath);
  const column = columnsOf(sales.header, salesPath, ["date", "item", "sales"]);
  if (sales.rows.length === 0) return null;
  const dates = sales.rows.map((r, k) => dayOf(r[column.date], salesPath, k));
  // Not Math.min(...dates): a set of a million rows overflows the call stack.
  const firstDay = dates.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const length = dates.reduce((a, b) => Math.max(a, b), firstDay) - firstDay + 1;
  const series = new Map<string, FolderSeries>();
  sales.rows.forEach((r, k) => {
    const store = column.store === undefined ? "1" : (r[column.store] as string);
    const item = r[column.item] as string;
    const key = `${store}/${item}`;
    let s = series.get(key);
    if (!s) {
      s = { store, item, category: null, values: new Map(), promo: new Set() };
      series.set(key, s);
    }
    const day = (dates[k] as number) - firstDay;
    const value = (r[column.sales] as string).trim();
    s.values.set(day, value === "" || !Number.isFinite(Number(value)) ? Number.NaN : Number(value));
    if (column.promo !== undefined && r[column.promo] === "1") s.promo.add(day);
    if (column.category !== undefined) s.category = r[column.category] as string;
  });
  const events = readEvents(join(dir, "events.csv"));
  const discounts = readPrices(join(dir, "prices.csv"), firstDay, length);
  const name = basename(resolve(dir));
  return {
    name,
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
  /** Sales by day index; NaN: unknown. */
  values: Map<number, number>;
  promo: Set<number>;
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
    const values = own.map((s) => dailySales(s, length));
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
        for (const day of s.promo) discount[day] = Math.max(discount[day] as number, 0.2);
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
function dailySales(s: FolderSeries, length: number): Float64Array {
  const sales = new Float64Array(length).fill(Number.NaN);
  const first = [...s.values.keys()].reduce((a, b) => Math.min(a, b));
  for (let i = first; i < length; i++) sales[i] = s.values.get(i) ?? 0;
  return sales;
}

const CLOSED = "STORECLOSED";

function readEvents(path: string): FolderEvent[] {
  if (!existsSync(path)) return [];
  const table = readCsvTable(path);
  const column = columnsOf(table.header, path, ["date"]);
  if (column.type === undefined && column.event === undefined && column.name === undefined)
    throw new Error(`${path}: no type, event or name column`);
  return table.rows.map((r, k) => {
    const cells = [column.type, column.event, column.name].map((i) =>
      i === undefined ? "" : (r[i] ?? "").trim().toUpperCase(),
    );
    // `date,event` names each holiday: one indicator for them all, the public holidays' type
    // (whose eve the model also learns), as the Italian loader does: a column per name would
    // see each one once a year.
    const type = cells.includes(CLOSED)
      ? CLOSED
      : column.type !== undefined
        ? cells[0]
        : HOLIDAY_TYPE;
    return {
      date: isoFromDay(dayOf(r[column.date], path, k)),
      type: type as string,
      store: column.store === undefined ? null : (r[column.store] as string),
    };
  });
}

function readPrices(path: string, firstDay: number, length: number): Map<string, Float32Array> {
  if (!existsSync(path)) return new Map();
  const table = readCsvTable(path);
  const column = columnsOf(table.header, path, ["date", "item", "price"]);
  const rows: PriceRow[] = table.rows.map((r, k) => ({
    key: `${column.store === undefined ? "1" : r[column.store]}/${r[column.item]}`,
    day: dayOf(r[column.date], path, k) - firstDay,
    price: Number(r[column.price]),
  }));
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

interface CsvTable {
  header: string[];
  rows: string[][];
}

/** A comma-separated file with a header; quotes dropped, Windows line ends accepted. */
export function readCsvTable(path: string): CsvTable {
  const lines = readFileSync(path, "utf8")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "");
  const split = (line: string) => line.replaceAll('"', "").split(",");
  return {
    header: split(lines[0] ?? "").map((h) => h.trim().toLowerCase()),
    rows: lines.slice(1).map(split),
  };
}

/** Column positions by name; a missing required one stops with the file's name and header. */
function columnsOf<R extends string>(
  header: readonly string[],
  path: string,
  required: readonly R[],
): Record<R, number> & Partial<Record<string, number>> {
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0)
    throw new Error(`${path}: no ${missing.join(", ")} column (header: ${header.join(",")})`);
  return Object.fromEntries(header.map((name, i) => [name, i])) as Record<R, number>;
}

/** The day of a YYYY-MM-DD cell; anything else stops with the file and line. */
function dayOf(cell: string | undefined, path: string, row: number): number {
  if (cell === undefined || !isValidIsoDate(cell.trim()))
    throw new Error(`${path}, line ${row + 2}: "${cell ?? ""}" is no YYYY-MM-DD date`);
  return dayFromIso(cell.trim());
}
