import { dayFromIso, isoFromDay } from "../../domain/calendar/days.js";
import { ArrayBlocks } from "../../memory/array-blocks.js";
import { seriesKey } from "../legacy/day-cache.js";
import type { Checksum } from "../legacy/history-checksum.js";
import type { Db } from "../open.js";
import { packSeries, unpackDays } from "./packed-days.js";

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
   * Units per "article:store" and day index from the first day asked for, in arrays of the
   * window's length, the days from frozenEnd on left at 0.
   */
  sales: Map<string, Float64Array>;
  /** Empty-shelf days (absolute day numbers) per "article:store". */
  emptyStockDays: Map<string, number[]>;
  /** Per store, 1 for each day index (from the first day asked for) with a sales row. */
  openDays: Map<number, Uint8Array>;
}

/** Days of a reading to store: [from, to) of series arrays whose index 0 is day `origin`. */
export interface DaysToFreeze {
  origin: number;
  from: number;
  to: number;
  sales: ReadonlyMap<string, Float64Array>;
  /** Absolute day numbers per "article:store"; days outside [from, to) are ignored. */
  emptyStockDays: ReadonlyMap<string, readonly number[]>;
  /** Per store, the ISO dates with at least one sales row. */
  storeDays: ReadonlyMap<number, ReadonlySet<string>>;
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

/** Days per block: a move rewrites at most the last block, a night reads ~40 blocks. */
export const BLOCK_DAYS = 28;

/**
 * The cached days from `firstDay` on (a day at or after the cache's first), each series in an
 * array of `length` days: one copy, not two, of what is the largest thing a night holds.
 */
export function readFrozenHistory(
  db: Db,
  header: HistoryCacheHeader,
  firstDay: number,
  length: number,
): FrozenHistory {
  const keys = readKeys(db);
  // Dropped together once the night's inputs are built: their memory goes back to the system.
  const blocks = new ArrayBlocks();
  const arrays = keys.map(() => blocks.float64(length));
  const emptyStockDays = new Map<string, number[]>();
  const openDays = new Map<number, Uint8Array>();
  const end = Math.min(header.frozenEnd, firstDay + length);
  const rows = db
    .prepare(
      `SELECT first_day, end_day, sales, empty_stock, open_stores FROM optiflow_history_blocks
       WHERE end_day > ? AND first_day < ? ORDER BY first_day`,
    )
    .raw(true)
    .iterate(isoFromDay(firstDay), isoFromDay(end)) as Iterable<
    [string, string, Buffer, Buffer, Buffer]
  >;
  for (const [firstIso, endIso, sales, emptyStock, openStores] of rows) {
    const block = { first: dayFromIso(firstIso), end: dayFromIso(endIso) };
    const from = Math.max(block.first, firstDay);
    const to = Math.min(block.end, end);
    copyBlockSales(sales, block, { from, to, firstDay }, arrays);
    const empty = int32s(emptyStock);
    for (let i = 0; i < empty.length; i += 2) {
      const day = empty[i + 1] as number;
      if (day < from || day >= to) continue;
      const key = keys[empty[i] as number] as string;
      const list = emptyStockDays.get(key);
      if (list) list.push(day);
      else emptyStockDays.set(key, [day]);
    }
    const open = int32s(openStores);
    for (let i = 0; i < open.length; i += 2) {
      const [storeId, day] = [open[i] as number, open[i + 1] as number];
      if (day < from || day >= to) continue;
      let days = openDays.get(storeId);
      if (!days) {
        days = new Uint8Array(length);
        openDays.set(storeId, days);
      }
      days[day - firstDay] = 1;
    }
  }
  const sales = new Map<string, Float64Array>();
  for (const [position, key] of keys.entries()) sales.set(key, arrays[position] as Float64Array);
  return { header, sales, emptyStockDays, openDays };
}

/**
 * A block's sales: each series' days packed on their own (packed-days.ts: one weighed article
 * keeps the others in one byte a day), after a table of where each starts — n + 1 byte offsets
 * for n series, in 32-bit integers, the last one the end.
 */
function packBlock(series: readonly Float64Array[]): Buffer {
  const { packed, starts } = packSeries(
    series,
    (series.length + 1) * Uint32Array.BYTES_PER_ELEMENT,
  );
  new Uint32Array(packed.buffer, packed.byteOffset, starts.length).set(starts);
  return packed;
}

/** A block's days [from, to) of each series it holds, into the arrays indexed from firstDay. */
function copyBlockSales(
  packed: Buffer,
  block: { first: number; end: number },
  days: { from: number; to: number; firstDay: number },
  arrays: readonly Float64Array[],
): void {
  const count = days.to - days.from;
  if (count <= 0 || packed.byteLength === 0) return;
  const first = new Uint32Array(copyOf(packed.subarray(0, 4)))[0] as number;
  const offsets = new Uint32Array(copyOf(packed.subarray(0, first)));
  const held = Math.min(arrays.length, offsets.length - 1);
  const skip = days.from - block.first;
  const into = days.from - days.firstDay;
  for (let position = 0; position < held; position++) {
    const target = arrays[position] as Float64Array;
    const series = packed.subarray(offsets[position], offsets[position + 1]);
    unpackDays(series, skip, target.subarray(into, into + count));
  }
}

/** Replaces the cache in one transaction: a crash leaves the old one or the new one. */
export function saveHistoryCache(db: Db, header: HistoryCacheHeader, days: DaysToFreeze): void {
  db.transaction(() => {
    clearHistoryCache(db);
    writeHeader(db, header);
    writeBlocks(db, days);
  })();
}

/**
 * Moves the cache forward in one transaction: the blocks whose days all fell out of the window
 * (before the new header's first day) are deleted, the days that froze appended — the last
 * block, if short, is written again with them; the rest is not rewritten.
 */
export function advanceHistoryCache(db: Db, header: HistoryCacheHeader, days: DaysToFreeze): void {
  db.transaction(() => {
    db.prepare("DELETE FROM optiflow_history_blocks WHERE end_day <= ?").run(
      isoFromDay(header.firstDay),
    );
    const last = db
      .prepare(
        "SELECT first_day FROM optiflow_history_blocks WHERE end_day = ? ORDER BY first_day DESC LIMIT 1",
      )
      .get(isoFromDay(days.from)) as { first_day: string } | undefined;
    let from = days.from;
    const lastFirst = last ? dayFromIso(last.first_day) : null;
    // The reading holds the short block's days again: it is rewritten whole, longer.
    if (lastFirst !== null && days.from - lastFirst < BLOCK_DAYS && lastFirst >= days.origin) {
      db.prepare("DELETE FROM optiflow_history_blocks WHERE first_day = ?").run(last?.first_day);
      from = lastFirst;
    }
    db.prepare("DELETE FROM optiflow_history_cache").run();
    writeHeader(db, header);
    writeBlocks(db, { ...days, from });
  })();
}

export function clearHistoryCache(db: Db): void {
  db.prepare("DELETE FROM optiflow_history_cache").run();
  db.prepare("DELETE FROM optiflow_history_keys").run();
  db.prepare("DELETE FROM optiflow_history_blocks").run();
}

function writeHeader(db: Db, header: HistoryCacheHeader): void {
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
}

/** The days [from, to) in blocks of BLOCK_DAYS, every series known so far in each. */
function writeBlocks(db: Db, days: DaysToFreeze): void {
  const keys = knownKeys(db, days);
  const series = keys.map((key) => days.sales.get(key));
  const blockOf = (day: number) => Math.floor((day - days.from) / BLOCK_DAYS);
  const pairs = blockPairs(days, keys, blockOf);
  const addBlock = db.prepare(
    `INSERT INTO optiflow_history_blocks (first_day, end_day, sales, empty_stock, open_stores)
     VALUES (?, ?, ?, ?, ?)`,
  );
  for (let first = days.from; first < days.to; first += BLOCK_DAYS) {
    const end = Math.min(first + BLOCK_DAYS, days.to);
    const offset = first - days.origin;
    const empty = new Float64Array(end - first);
    const block = series.map((array) => array?.subarray(offset, offset + end - first) ?? empty);
    const index = blockOf(first);
    addBlock.run(
      isoFromDay(first),
      isoFromDay(end),
      packBlock(block),
      bytesOf(Int32Array.from(pairs.emptyStock.get(index) ?? [])),
      bytesOf(Int32Array.from(pairs.openStores.get(index) ?? [])),
    );
  }
}

/** Per block, its (series position, day) empty shelves and (store, day) open stores. */
function blockPairs(days: DaysToFreeze, keys: readonly string[], blockOf: (day: number) => number) {
  const positions = new Map(keys.map((key, position) => [key, position]));
  const emptyStock = new Map<number, number[]>();
  const openStores = new Map<number, number[]>();
  const add = (into: Map<number, number[]>, day: number, id: number) => {
    if (day < days.from || day >= days.to) return;
    const list = into.get(blockOf(day)) ?? [];
    list.push(id, day);
    into.set(blockOf(day), list);
  };
  for (const [key, list] of days.emptyStockDays)
    for (const day of new Set(list)) add(emptyStock, day, positions.get(key) as number);
  for (const [storeId, dates] of days.storeDays)
    for (const date of dates) add(openStores, dayFromIso(date), storeId);
  return { emptyStock, openStores };
}

/** The series known to the cache, in position order, after adding the days' new ones. */
function knownKeys(db: Db, days: DaysToFreeze): string[] {
  const keys = readKeys(db);
  const known = new Set(keys);
  const addKey = db.prepare(
    "INSERT INTO optiflow_history_keys (position, article_id, magasin_id) VALUES (?, ?, ?)",
  );
  for (const key of [...days.sales.keys(), ...days.emptyStockDays.keys()]) {
    if (known.has(key)) continue;
    const [articleId, storeId] = key.split(":").map(Number);
    addKey.run(keys.length, articleId, storeId);
    known.add(key);
    keys.push(key);
  }
  return keys;
}

function readKeys(db: Db): string[] {
  const rows = db
    .prepare("SELECT article_id, magasin_id FROM optiflow_history_keys ORDER BY position")
    .raw(true)
    .all() as [number, number][];
  return rows.map(([articleId, storeId]) => seriesKey(articleId, storeId));
}

function parseChecksum(text: string): Checksum {
  return (JSON.parse(text) as string[]).map((v) => BigInt(v));
}

function bytesOf(values: Int32Array | Uint32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function int32s(buffer: Buffer): Int32Array {
  return new Int32Array(copyOf(buffer));
}

/** A Buffer from SQLite may sit at any offset of a shared pool: a typed view needs its own. */
function copyOf(buffer: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(buffer.byteLength);
  new Uint8Array(copy).set(buffer);
  return copy;
}
