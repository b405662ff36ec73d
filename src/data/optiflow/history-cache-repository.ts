import { dayFromIso, isoFromDay } from "../../domain/calendar/days.js";
import { ArrayBlocks } from "../../memory/array-blocks.js";
import { seriesKey } from "../legacy/day-cache.js";
import type { Checksum } from "../legacy/history-checksum.js";
import type { Db } from "../open.js";
import { packDays, unpackDays } from "./packed-days.js";

export interface HistoryCacheHeader {
  /** The days cached are [firstDay, frozenEnd). */
  firstDay: number;
  frozenEnd: number;
  /** Checksums of the legacy rows those days were read from (history-checksum.ts). */
  salesChecksum: Checksum;
  stockChecksum: Checksum;
  builtAt: string;
}

/** The cached days, unpacked: what a full reading of [firstDay, frozenEnd) would return. */
export interface FrozenHistory {
  header: HistoryCacheHeader;
  /**
   * Units per "article:store" and day index from firstDay (as read back: from the window's
   * first day, in arrays of the window's length, the days after frozenEnd left at 0).
   */
  sales: Map<string, Float64Array>;
  /** Empty-shelf days (absolute day numbers) per "article:store". */
  emptyStockDays: Map<string, number[]>;
  /** Per store, 1 for each day index with at least one sales row. */
  openDays: Map<number, Uint8Array>;
}

interface HeaderRow {
  first_day: string;
  frozen_end: string;
  sales_checksum: string;
  stock_checksum: string;
  built_at: string;
}

export function readHistoryCacheHeader(db: Db): HistoryCacheHeader | null {
  const row = db
    .prepare(
      "SELECT first_day, frozen_end, sales_checksum, stock_checksum, built_at FROM optiflow_history_cache WHERE id = 1",
    )
    .get() as HeaderRow | undefined;
  if (!row) return null;
  return {
    firstDay: dayFromIso(row.first_day),
    frozenEnd: dayFromIso(row.frozen_end),
    salesChecksum: parseChecksum(row.sales_checksum),
    stockChecksum: parseChecksum(row.stock_checksum),
    builtAt: row.built_at,
  };
}

/**
 * The cached days from `firstDay` on, each series unpacked straight into an array of `length`
 * days (a window starting at or after the cache's first day): one copy, not two, of what is
 * the largest thing a night holds. Empty-shelf days before `firstDay` are dropped.
 */
export function readFrozenHistory(
  db: Db,
  header: HistoryCacheHeader,
  firstDay: number,
  length: number,
): FrozenHistory {
  const sales = new Map<string, Float64Array>();
  // Dropped together once the night's inputs are built: their memory goes back to the system.
  const arrays = new ArrayBlocks();
  const emptyStockDays = new Map<string, number[]>();
  const skip = firstDay - header.firstDay;
  const keep = Math.max(0, Math.min(length, header.frozenEnd - firstDay));
  const rows = db
    .prepare("SELECT article_id, magasin_id, sales, empty_stock_days FROM optiflow_history_series")
    .raw(true)
    .iterate() as Iterable<[number, number, Buffer, Buffer]>;
  for (const [articleId, storeId, packed, empty] of rows) {
    const key = seriesKey(articleId, storeId);
    const values = arrays.float64(length);
    unpackDays(packed, skip, values.subarray(0, keep));
    sales.set(key, values);
    if (empty.byteLength === 0) continue;
    const days = [...new Int32Array(copyOf(empty))].filter((d) => d >= firstDay);
    if (days.length > 0) emptyStockDays.set(key, days);
  }
  const openDays = new Map<number, Uint8Array>();
  const stores = db
    .prepare("SELECT magasin_id, open_days FROM optiflow_history_store_days")
    .raw(true)
    .all() as [number, Buffer][];
  for (const [storeId, days] of stores) openDays.set(storeId, new Uint8Array(copyOf(days)));
  return { header, sales, emptyStockDays, openDays };
}

/** Replaces the cache in one transaction: a crash leaves the old one or the new one. */
export function saveHistoryCache(db: Db, frozen: FrozenHistory): void {
  const { header } = frozen;
  const series = db.prepare(
    "INSERT INTO optiflow_history_series (article_id, magasin_id, sales, empty_stock_days) VALUES (?, ?, ?, ?)",
  );
  const store = db.prepare(
    "INSERT INTO optiflow_history_store_days (magasin_id, open_days) VALUES (?, ?)",
  );
  db.transaction(() => {
    clearHistoryCache(db);
    db.prepare(
      `INSERT INTO optiflow_history_cache (id, first_day, frozen_end, sales_checksum, stock_checksum, built_at)
       VALUES (1, ?, ?, ?, ?, ?)`,
    ).run(
      isoFromDay(header.firstDay),
      isoFromDay(header.frozenEnd),
      JSON.stringify(header.salesChecksum.map(String)),
      JSON.stringify(header.stockChecksum.map(String)),
      header.builtAt,
    );
    for (const [key, values] of frozen.sales) {
      const [articleId, storeId] = key.split(":").map(Number);
      const empty = Int32Array.from(frozen.emptyStockDays.get(key) ?? []);
      series.run(articleId, storeId, packDays(values), bytesOf(empty));
    }
    for (const [key, days] of frozen.emptyStockDays) {
      if (frozen.sales.has(key)) continue;
      const [articleId, storeId] = key.split(":").map(Number);
      series.run(articleId, storeId, Buffer.alloc(0), bytesOf(Int32Array.from(days)));
    }
    for (const [storeId, days] of frozen.openDays) store.run(storeId, bytesOf(days));
  })();
}

export function clearHistoryCache(db: Db): void {
  db.prepare("DELETE FROM optiflow_history_cache").run();
  db.prepare("DELETE FROM optiflow_history_series").run();
  db.prepare("DELETE FROM optiflow_history_store_days").run();
}

function parseChecksum(text: string): Checksum {
  return (JSON.parse(text) as string[]).map((v) => BigInt(v));
}

function bytesOf(values: Int32Array | Uint8Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A Buffer from SQLite may sit at any offset of a shared pool: typed views need their own. */
function copyOf(buffer: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(buffer.byteLength);
  new Uint8Array(copy).set(buffer);
  return copy;
}
