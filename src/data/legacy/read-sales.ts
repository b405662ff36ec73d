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
  const length = endDay - firstDay;
  const toDay = createDayParser();
  const series = new Map<string, Float64Array>();
  // Dropped together once the night's inputs are built: their memory goes back to the system.
  // Shared: step 2's threads pass them on (to the main thread, then to the cache's writer)
  // without copying them.
  const arrays = new ArrayBlocks(undefined, true);
  const openDays = new Map<number, Uint8Array>();
  // One row per article and store, its days packed by SQLite: better-sqlite3 spends ~2 µs per
  // row returned, so five million daily rows cost twice what 10,000 packed ones and their
  // parsing do (measured). NOT INDEXED: three years are most of the table, and a sequential
  // scan beats millions of index lookups scattered over a table not filled in date order; the
  // last few weeks (an incremental night) are a small share, which the date index finds ("+rowid"
  // keeps the planner from preferring the rowid range of a worker's share).
  const rowid = recentOnly ? "+rowid" : "rowid";
  const groups = db
    .prepare(
      `SELECT article_id, magasin_id, group_concat(date || char(30) || quantite, char(31))
       FROM ventes ${recentOnly ? "" : "NOT INDEXED"}
       WHERE date >= ? AND date < ? AND typeof(quantite) IN ('integer', 'real') AND ${rowid} >= ? AND ${rowid} < ?
       GROUP BY article_id, magasin_id`,
    )
    .raw(true)
    .iterate(firstIso, endIso, rows.from, rows.to) as Iterable<[number, number, string]>;
  for (const [articleId, storeId, packed] of groups) {
    let days = openDays.get(storeId);
    if (!days) {
      days = new Uint8Array(length);
      openDays.set(storeId, days);
    }
    const key = seriesKey(articleId, storeId);
    const values = series.get(key) ?? arrays.float64(length);
    series.set(key, values);
    for (const entry of packed.split("\u001f")) {
      const cut = entry.indexOf("\u001e");
      const day = toDay(entry.slice(0, cut));
      if (day === null || day < firstDay || day >= endDay) continue;
      const index = day - firstDay;
      days[index] = 1;
      values[index] = (values[index] as number) + Number(entry.slice(cut + 1));
    }
  }
  const storeDays = new Map<number, Set<string>>();
  for (const [storeId, days] of openDays) {
    const dates = new Set<string>();
    days.forEach((open, i) => {
      if (open === 1) dates.add(isoFromDay(firstDay + i));
    });
    storeDays.set(storeId, dates);
  }
  return { series, storeDays };
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
