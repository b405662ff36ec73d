import { runWorkerJob, workerThreads } from "../concurrency/worker-job.js";
import {
  addChecksums,
  type Checksum,
  checksumWithin,
  type DateSegment,
  emptyStockScan,
  SALES_CHECKSUM_TERMS,
  salesChecksums,
} from "../data/legacy/history-checksum.js";
import {
  ALL_ROWS,
  type DailySales,
  mergeDayLists,
  type RowidRange,
  readEmptyStockDays,
  readRuptureDays,
  scanDailySales,
} from "../data/legacy/read-sales.js";
import type { Db } from "../data/open.js";
import { ArrayBlocks } from "../memory/array-blocks.js";

const WORKER_URL = new URL("./read-history-worker.js", import.meta.url);

export interface HistoryWindow {
  firstDay: number;
  endDay: number;
  firstIso: string;
  endIso: string;
}

/** Step 2's reading: daily sales, and the days whose sales understate demand. */
export interface SalesHistory {
  sales: DailySales;
  stockOuts: Map<string, number[]>;
  /**
   * Memory the reading touched and no longer uses, for the series' inputs (loadSeries): spares
   * the main thread a page fault per 4 KB of them.
   */
  spare?: SharedArrayBuffer[];
}

/** What to read: a window of days and, in the same scans, checksums of date segments. */
export interface HistoryReadRequest extends HistoryWindow {
  /** A few recent weeks: sales found through the date index instead of a scan of the table. */
  recentOnly: boolean;
  segments: DateSegment[];
}

export interface HistoryReadJob extends HistoryReadRequest {
  dbPath: string;
  salesRows: RowidRange;
  stockRows: RowidRange;
}

/** What a worker sends back: the blocks holding the series are shared, not copied. */
export interface HistoryReadPart {
  keys: string[];
  /** Per key, the index of its block in `buffers` and its byte offset there. */
  places: [number, number][];
  buffers: (ArrayBuffer | SharedArrayBuffer)[];
  storeDays: [number, string[]][];
  emptyStockDays: [string, number[]][];
  salesChecksums: Checksum[];
  stockChecksums: Checksum[];
}

/** The shares put together: sales, empty-shelf days (without `ruptures`), checksums. */
export interface HistoryRead {
  sales: DailySales;
  /** Blocks the reading threads filled and nothing references any more (mergeParts). */
  spare: SharedArrayBuffer[];
  emptyStockDays: Map<string, number[]>;
  salesChecksums: Checksum[];
  stockChecksums: Checksum[];
}

/** Sales, empty-shelf days and recorded stock-outs over a window: the whole history at once. */
export async function readHistoryInWorkers(db: Db, window: HistoryWindow): Promise<SalesHistory> {
  const read = await readHistoryShares(db, { ...window, recentOnly: false, segments: [] });
  const stockOuts = withRuptures(db, window, read.emptyStockDays);
  return { sales: read.sales, stockOuts, spare: read.spare };
}

/** Recorded stock-outs (a small table, read whole) added to the empty-shelf days. */
export function withRuptures(
  db: Db,
  window: HistoryWindow,
  emptyStockDays: Map<string, number[]>,
): Map<string, number[]> {
  const { firstDay, endDay, firstIso, endIso } = window;
  return mergeDayLists([readRuptureDays(db, firstDay, endDay, firstIso, endIso), emptyStockDays]);
}

/**
 * Reading three years of sales and of end-of-day stock is most of step 2 on a large base, and
 * better-sqlite3 spends it turning rows into JS values on one thread. Each worker thread opens
 * its own read-only connection and scans one range of rowids of `ventes` and of
 * `stocks_historique`; the parts are merged here (a series split across ranges is summed, the
 * checksums added). Falls back to the calling thread on one core or when running from
 * TypeScript sources.
 */
export async function readHistoryShares(db: Db, request: HistoryReadRequest): Promise<HistoryRead> {
  const threads = workerThreads(WORKER_URL);
  const whole = { ...request, dbPath: db.name, salesRows: ALL_ROWS, stockRows: ALL_ROWS };
  if (threads === 0 || db.memory) return mergeParts([readHistoryPart(db, whole)], request);
  const salesRows = rowidRanges(db, "ventes", threads);
  const stockRows = rowidRanges(db, "stocks_historique", threads);
  const parts = await Promise.all(
    salesRows.map((range, i) =>
      runWorkerJob<HistoryReadPart>(WORKER_URL, {
        ...whole,
        salesRows: range,
        stockRows: stockRows[i] as RowidRange,
      } satisfies HistoryReadJob),
    ),
  );
  return mergeParts(parts, request);
}

/** One share of the reading, on a worker thread or the calling one. */
export function readHistoryPart(db: Db, job: HistoryReadJob): HistoryReadPart {
  const { firstIso, endIso, segments } = job;
  const { sales, checksums } = readSalesPart(db, job);
  const keys = [...sales.series.keys()];
  const blocks = new Map<ArrayBufferLike, number>();
  const places = keys.map((k): [number, number] => {
    const values = sales.series.get(k) as Float64Array;
    const block = blocks.get(values.buffer) ?? blocks.size;
    blocks.set(values.buffer, block);
    return [block, values.byteOffset];
  });
  // One scan of the stock table for the empty-shelf days and every segment's checksum.
  const stock =
    segments.length > 0 ? emptyStockScan(db, segments, firstIso, endIso, job.stockRows) : null;
  return {
    keys,
    places,
    buffers: [...blocks.keys()] as (ArrayBuffer | SharedArrayBuffer)[],
    storeDays: [...sales.storeDays.entries()].map(([id, dates]) => [id, [...dates]]),
    emptyStockDays: [
      ...(stock?.days ?? readEmptyStockDays(db, firstIso, endIso, job.stockRows)).entries(),
    ],
    salesChecksums: checksums,
    stockChecksums: stock?.checksums ?? [],
  };
}

/**
 * A share's sales and their checksums. A full reading's one segment is its window less the
 * last weeks: its checksum is summed in the scan that reads the sales, which saves a second
 * scan of years of rows (1.3 s a thread on 10,000 series, measured).
 */
function readSalesPart(db: Db, job: HistoryReadJob): { sales: DailySales; checksums: Checksum[] } {
  const { firstIso, endIso, segments, salesRows: rows, recentOnly } = job;
  const [segment] = segments;
  const within = segment !== undefined && segment.fromIso === firstIso && segment.toIso <= endIso;
  if (segments.length !== 1 || !within || recentOnly) {
    const sales = scanDailySales(db, { ...job, rows }).sales;
    return { sales, checksums: salesChecksums(db, segments, rows) };
  }
  const scan = scanDailySales(db, { ...job, rows, aggregates: SALES_CHECKSUM_TERMS });
  return {
    sales: scan.sales,
    checksums: [checksumWithin(db, scan.aggregates, segment, endIso, rows)],
  };
}

/** `count` rowid ranges of about equal size covering the table; the outer ones are open-ended. */
export function rowidRanges(
  db: Db,
  table: "ventes" | "stocks_historique",
  count: number,
): RowidRange[] {
  // `table` is one of two fixed names, never user input. Two queries: SQLite answers MIN or
  // MAX of the rowid from the b-tree's edge, but both in one query scan the whole table.
  const edge = (fn: "MIN" | "MAX") =>
    (db.prepare(`SELECT ${fn}(rowid) AS v FROM ${table}`).get() as { v: number | null }).v;
  const lo = edge("MIN");
  const hi = edge("MAX");
  // An empty table: one range for everything, empty ones for the other threads.
  if (lo === null || hi === null)
    return [ALL_ROWS, ...Array.from({ length: count - 1 }, () => ({ from: 0, to: 0 }))];
  const edges = [ALL_ROWS.from];
  for (let k = 1; k < count; k++) edges.push(lo + Math.round(((hi - lo + 1) * k) / count));
  edges.push(ALL_ROWS.to);
  return edges.slice(0, -1).map((from, k) => ({ from, to: edges[k + 1] as number }));
}

/**
 * The shares summed into the first one's arrays. A series first seen in a later share (an
 * article listed since) is copied out of it, so that the later shares' blocks end up holding
 * nothing kept: they are handed on as `spare`, memory already touched for the night's inputs.
 */
function mergeParts(parts: readonly HistoryReadPart[], request: HistoryReadRequest): HistoryRead {
  const length = request.endDay - request.firstDay;
  const series = new Map<string, Float64Array>();
  const storeDays = new Map<number, Set<string>>();
  const copies = new ArrayBlocks(undefined, true);
  for (const [p, part] of parts.entries()) {
    part.keys.forEach((key, i) => {
      const [block, offset] = part.places[i] as [number, number];
      const values = new Float64Array(part.buffers[block] as ArrayBufferLike, offset, length);
      const sum = series.get(key);
      if (sum) for (let d = 0; d < length; d++) sum[d] = (sum[d] as number) + (values[d] as number);
      else if (p === 0) series.set(key, values);
      else {
        const copy = copies.float64(length);
        copy.set(values);
        series.set(key, copy);
      }
    });
    for (const [storeId, dates] of part.storeDays) {
      const set = storeDays.get(storeId) ?? new Set<string>();
      for (const date of dates) set.add(date);
      storeDays.set(storeId, set);
    }
  }
  const total = (pick: (p: HistoryReadPart) => Checksum[]) =>
    request.segments.map((_, k) =>
      parts.map((p) => pick(p)[k] as Checksum).reduce((a, b) => addChecksums(a, b)),
    );
  return {
    sales: { series, storeDays },
    spare: parts
      .slice(1)
      .flatMap((p) =>
        p.buffers.filter((b): b is SharedArrayBuffer => b instanceof SharedArrayBuffer),
      ),
    emptyStockDays: mergeDayLists(parts.map((p) => new Map(p.emptyStockDays))),
    salesChecksums: total((p) => p.salesChecksums),
    stockChecksums: total((p) => p.stockChecksums),
  };
}
