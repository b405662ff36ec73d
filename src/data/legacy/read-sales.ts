import { isoFromDay } from "../../domain/calendar/days.js";
import { ArrayBlocks } from "../../memory/array-blocks.js";
import type { Db } from "../open.js";
import { createDayParser, seriesKey } from "./day-cache.js";

/** Rowids in [from, to): lets several threads each scan a share of a large table. */
export interface RowidRange {
  from: number;
  to: number;
}

export const ALL_ROWS: RowidRange = {
  from: Number.MIN_SAFE_INTEGER,
  to: Number.MAX_SAFE_INTEGER,
};

export interface DailySales {
  /** Units sold per article-store ("article:store") and day index. */
  series: Map<string, Float64Array>;
  /** Per store, the dates with at least one sales row: a day without any is a closed day. */
  storeDays: Map<number, Set<string>>;
}

/** A reading of `ventes` over [firstDay, endDay): its dates as day indices and as ISO text. */
export interface SalesScan {
  firstDay: number;
  endDay: number;
  firstIso: string;
  endIso: string;
  rows?: RowidRange;
  /** A few recent weeks: rows found through the date index instead of a scan of the table. */
  recentOnly?: boolean;
  /**
   * SQL aggregates over the rows read, computed in the same scan (the history's checksums):
   * fixed expressions of this code base, never user input.
   */
  aggregates?: readonly string[];
}

/**
 * Daily units sold per article and store over [firstDay, endDay), summed when the legacy base
 * holds several rows for one day (a dirty duplicate). Rows with unreadable dates or quantities
 * are skipped here and reported by the data checks.
 */
export function readDailySales(
  db: Db,
  firstDay: number,
  endDay: number,
  firstIso: string,
  endIso: string,
  rows: RowidRange = ALL_ROWS,
  recentOnly = false,
): DailySales {
  return scanDailySales(db, { firstDay, endDay, firstIso, endIso, rows, recentOnly }).sales;
}

/** The daily sales, and the scan's `aggregates` (SQLite integers, as BigInt). */
export function scanDailySales(
  db: Db,
  scan: SalesScan,
): { sales: DailySales; aggregates: (bigint | null)[] } {
  const { firstIso, endIso, rows = ALL_ROWS, recentOnly = false, aggregates = [] } = scan;
  const days = new DailySalesBuilder(scan.firstDay, scan.endDay);
  // NOT INDEXED: three years are most of the table, and a sequential scan beats millions of
  // index lookups scattered over a table not filled in date order; the last few weeks (an
  // incremental night) are a small share, which the date index finds ("+rowid" keeps the
  // planner from preferring the rowid range of a worker's share).
  const rowid = recentOnly ? "+rowid" : "rowid";
  const sink = saleSink(db);
  sink.add = (articleId, storeId, date, quantity) => days.add(articleId, storeId, date, quantity);
  try {
    const values = db
      .prepare(
        `SELECT count(${ADD_SALE}(article_id, magasin_id, date, quantite))${aggregates.map((a) => `, ${a}`).join("")}
         FROM ventes ${recentOnly ? "" : "NOT INDEXED"}
         WHERE date >= ? AND date < ? AND typeof(quantite) IN ('integer', 'real') AND ${rowid} >= ? AND ${rowid} < ?`,
      )
      .safeIntegers(true)
      .raw(true)
      .get(firstIso, endIso, rows.from, rows.to) as (bigint | null)[];
    return { sales: days.build(), aggregates: values.slice(1) };
  } finally {
    sink.add = null;
  }
}

/**
 * The SQL function through which a scan hands each sales row to JavaScript. better-sqlite3
 * spends ~2 µs on each row a query returns, and packing each series' days in SQLite
 * (GROUP BY and group_concat, then parsing the text) cost 2.0 s on half of three years of
 * 10,000 series; an aggregate calling this function on each row costs 1.0 s, and the history's
 * checksums ride on the same scan (measured). Registered once per connection: SQLite cannot
 * redefine a function while one of the connection's statements runs.
 */
const ADD_SALE = "optiflow_add_sale";

type SaleSink = (articleId: unknown, storeId: unknown, date: unknown, quantity: number) => void;

/**
 * Per connection, the slot its function hands rows to. Kept on the global object: two copies of
 * this module in one thread (the compiled one and the sources, as in tests) must not each
 * register the function on a connection, the second silently replacing the first's.
 */
const SINKS = Symbol.for("optiflow.read-sales.sinks");
const globals = globalThis as { [SINKS]?: WeakMap<Db, { add: SaleSink | null }> };
globals[SINKS] ??= new WeakMap();
const sinks = globals[SINKS];

function saleSink(db: Db): { add: SaleSink | null } {
  let slot = sinks.get(db);
  if (!slot) {
    const created: { add: SaleSink | null } = { add: null };
    db.function(ADD_SALE, { deterministic: false }, (articleId, storeId, date, quantity) => {
      created.add?.(articleId, storeId, date, quantity as number);
      return 0;
    });
    sinks.set(db, created);
    slot = created;
  }
  return slot;
}

/** Sales rows in any order, summed into one array per article and store. */
class DailySalesBuilder {
  private readonly toDay = createDayParser();
  // Dropped together once the night's inputs are built: their memory goes back to the system.
  // Shared: step 2's threads pass them on (to the main thread, then to the cache's writer)
  // without copying them.
  private readonly arrays = new ArrayBlocks(undefined, true);
  private readonly byArticle = new Map<unknown, Map<unknown, Float64Array>>();
  private readonly openDays = new Map<unknown, Uint8Array>();

  constructor(
    private readonly firstDay: number,
    private readonly endDay: number,
  ) {}

  add(articleId: unknown, storeId: unknown, date: unknown, quantity: number): void {
    // The series exists even if none of its rows has a readable date, as with a GROUP BY.
    let stores = this.byArticle.get(articleId);
    if (!stores) {
      stores = new Map();
      this.byArticle.set(articleId, stores);
    }
    let values = stores.get(storeId);
    if (!values) {
      values = this.arrays.float64(this.endDay - this.firstDay);
      stores.set(storeId, values);
    }
    let open = this.openDays.get(storeId);
    if (!open) {
      open = new Uint8Array(this.endDay - this.firstDay);
      this.openDays.set(storeId, open);
    }
    const day = this.toDay(date);
    if (day === null || day < this.firstDay || day >= this.endDay) return;
    const index = day - this.firstDay;
    values[index] = (values[index] as number) + quantity;
    open[index] = 1;
  }

  /** The series in article then store order, as a GROUP BY on the two would list them. */
  build(): DailySales {
    const series = new Map<string, Float64Array>();
    for (const articleId of sortedIds(this.byArticle.keys())) {
      const stores = this.byArticle.get(articleId) as Map<unknown, Float64Array>;
      for (const storeId of sortedIds(stores.keys()))
        series.set(
          seriesKey(articleId as number, storeId as number),
          stores.get(storeId) as Float64Array,
        );
    }
    const storeDays = new Map<number, Set<string>>();
    for (const [storeId, open] of this.openDays) {
      const dates = new Set<string>();
      open.forEach((isOpen, i) => {
        if (isOpen === 1) dates.add(isoFromDay(this.firstDay + i));
      });
      storeDays.set(storeId as number, dates);
    }
    return { series, storeDays };
  }
}

/** Ids as SQLite orders them: numbers first, by value, then text. */
function sortedIds(ids: Iterable<unknown>): unknown[] {
  return [...ids].sort((a, b) => {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "number") return -1;
    if (typeof b === "number") return 1;
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  });
}

/**
 * Per store, the days of [firstDay, endDay) with at least one sales row: a day without any
 * tells that the store was closed, or that its sales are missing. One probe per store and day
 * through the date index, stopping at the store's first row, instead of grouping every sales
 * row of 90 days.
 */
export function readStoreSalesDays(
  db: Db,
  storeIds: readonly number[],
  firstDay: number,
  endDay: number,
): Map<number, Set<string>> {
  const probe = db
    .prepare("SELECT 1 FROM ventes WHERE date = ? AND magasin_id = ? LIMIT 1")
    .pluck();
  const result = new Map<number, Set<string>>();
  for (const storeId of storeIds) {
    const days = new Set<string>();
    for (let day = firstDay; day < endDay; day++) {
      const iso = isoFromDay(day);
      if (probe.get(iso, storeId) !== undefined) days.add(iso);
    }
    result.set(storeId, days);
  }
  return result;
}

/**
 * Days whose sales understate demand: recorded stock-outs (`ruptures`, open-ended ones up to
 * the end) and days that ended with no stock on the shelf (`stocks_historique` ≤ 0).
 */
export function readStockOutDays(
  db: Db,
  firstDay: number,
  endDay: number,
  firstIso: string,
  endIso: string,
): Map<string, number[]> {
  return mergeDayLists([
    readRuptureDays(db, firstDay, endDay, firstIso, endIso),
    readEmptyStockDays(db, firstIso, endIso),
  ]);
}

export function mergeDayLists(parts: readonly Map<string, number[]>[]): Map<string, number[]> {
  const result = new Map<string, number[]>();
  for (const part of parts)
    for (const [key, days] of part) {
      const list = result.get(key);
      if (list) list.push(...days);
      else result.set(key, [...days]);
    }
  return result;
}

function dayListAdder(result: Map<string, number[]>) {
  return (key: string, day: number) => {
    let days = result.get(key);
    if (!days) {
      days = [];
      result.set(key, days);
    }
    days.push(day);
  };
}

/** Recorded stock-outs (`ruptures`), open-ended ones up to the end. */
export function readRuptureDays(
  db: Db,
  firstDay: number,
  endDay: number,
  firstIso: string,
  endIso: string,
): Map<string, number[]> {
  const toDay = createDayParser();
  const result = new Map<string, number[]>();
  const add = dayListAdder(result);
  const ruptures = db
    .prepare(
      "SELECT article_id, magasin_id, date_debut, date_fin FROM ruptures WHERE COALESCE(date_fin, '9999-12-31') >= ? AND date_debut < ?",
    )
    .raw(true)
    .iterate(firstIso, endIso) as Iterable<[number, number, string, string | null]>;
  for (const [articleId, storeId, start, end] of ruptures) {
    const from = toDay(start);
    const to = end === null ? endDay - 1 : toDay(end);
    if (from === null || to === null) continue;
    const key = seriesKey(articleId, storeId);
    for (let day = Math.max(from, firstDay); day <= Math.min(to, endDay - 1); day++) add(key, day);
  }
  return result;
}

/** Days that ended with no stock on the shelf (`stocks_historique` ≤ 0), for a share of its rows. */
export function readEmptyStockDays(
  db: Db,
  firstIso: string,
  endIso: string,
  rows: RowidRange = ALL_ROWS,
): Map<string, number[]> {
  const toDay = createDayParser();
  const result = new Map<string, number[]>();
  const add = dayListAdder(result);
  const empty = db
    .prepare(
      "SELECT article_id, magasin_id, date FROM stocks_historique NOT INDEXED WHERE date >= ? AND date < ? AND quantite <= 0 AND rowid >= ? AND rowid < ?",
    )
    .raw(true)
    .iterate(firstIso, endIso, rows.from, rows.to) as Iterable<[number, number, string]>;
  for (const [articleId, storeId, date] of empty) {
    const day = toDay(date);
    if (day !== null) add(seriesKey(articleId, storeId), day);
  }
  return result;
}

/** First and last day with a readable sales date (the index on `date` answers both). */
export function readSalesDateRange(db: Db): { first: string | null; last: string | null } {
  const valid = "date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'";
  const first = db.prepare(`SELECT MIN(date) AS d FROM ventes WHERE ${valid}`).get() as {
    d: string | null;
  };
  const last = db.prepare(`SELECT MAX(date) AS d FROM ventes WHERE ${valid}`).get() as {
    d: string | null;
  };
  return { first: first.d, last: last.d };
}
