import { runWorkerJob, workerThreads } from "../concurrency/worker-job.js";
import {
  ALL_ROWS,
  type DailySales,
  mergeDayLists,
  type RowidRange,
  readDailySales,
  readEmptyStockDays,
  readRuptureDays,
} from "../data/legacy/read-sales.js";
import type { Db } from "../data/open.js";

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
}

export interface HistoryReadJob extends HistoryWindow {
  dbPath: string;
  salesRows: RowidRange;
  stockRows: RowidRange;
}

/** What a worker sends back: the series' buffers are transferred, not copied. */
export interface HistoryReadPart {
  keys: string[];
  buffers: ArrayBuffer[];
  storeDays: [number, string[]][];
  emptyStockDays: [string, number[]][];
}

/**
 * Reading three years of sales and of end-of-day stock is most of step 2 on a large base, and
 * better-sqlite3 spends it turning rows into JS values on one thread. Each worker thread opens
 * its own read-only connection and scans one range of rowids of `ventes` and of
 * `stocks_historique`; the parts are merged here (a series split across ranges is summed).
 * Falls back to the calling thread on one core or when running from TypeScript sources.
 */
export async function readHistoryInWorkers(db: Db, window: HistoryWindow): Promise<SalesHistory> {
  const threads = workerThreads(WORKER_URL);
  const ruptures = readRuptureDays(
    db,
    window.firstDay,
    window.endDay,
    window.firstIso,
    window.endIso,
  );
  if (threads === 0 || db.memory) {
    const { firstDay, endDay, firstIso, endIso } = window;
    return {
      sales: readDailySales(db, firstDay, endDay, firstIso, endIso),
      stockOuts: mergeDayLists([ruptures, readEmptyStockDays(db, firstIso, endIso)]),
    };
  }
  const salesRows = rowidRanges(db, "ventes", threads);
  const stockRows = rowidRanges(db, "stocks_historique", threads);
  const parts = await Promise.all(
    salesRows.map((range, i) =>
      runWorkerJob<HistoryReadPart>(WORKER_URL, {
        ...window,
        dbPath: db.name,
        salesRows: range,
        stockRows: stockRows[i] as RowidRange,
      } satisfies HistoryReadJob),
    ),
  );
  return {
    sales: mergeSales(parts, window.endDay - window.firstDay),
    stockOuts: mergeDayLists([ruptures, ...parts.map((p) => new Map(p.emptyStockDays))]),
  };
}

/** `count` rowid ranges of about equal size covering the table; the outer ones are open-ended. */
export function rowidRanges(
  db: Db,
  table: "ventes" | "stocks_historique",
  count: number,
): RowidRange[] {
  // `table` is one of two fixed names, never user input.
  const { lo, hi } = db
    .prepare(`SELECT MIN(rowid) AS lo, MAX(rowid) AS hi FROM ${table}`)
    .get() as {
    lo: number | null;
    hi: number | null;
  };
  // An empty table: one range for everything, empty ones for the other threads.
  if (lo === null || hi === null)
    return [ALL_ROWS, ...Array.from({ length: count - 1 }, () => ({ from: 0, to: 0 }))];
  const edges = [ALL_ROWS.from];
  for (let k = 1; k < count; k++) edges.push(lo + Math.round(((hi - lo + 1) * k) / count));
  edges.push(ALL_ROWS.to);
  return edges.slice(0, -1).map((from, k) => ({ from, to: edges[k + 1] as number }));
}

function mergeSales(parts: readonly HistoryReadPart[], length: number): DailySales {
  const series = new Map<string, Float64Array>();
  const storeDays = new Map<number, Set<string>>();
  for (const part of parts) {
    part.keys.forEach((key, i) => {
      const values = new Float64Array(part.buffers[i] as ArrayBuffer, 0, length);
      const sum = series.get(key);
      if (!sum) series.set(key, values);
      else for (let d = 0; d < length; d++) sum[d] = (sum[d] as number) + (values[d] as number);
    });
    for (const [storeId, dates] of part.storeDays) {
      const set = storeDays.get(storeId) ?? new Set<string>();
      for (const date of dates) set.add(date);
      storeDays.set(storeId, set);
    }
  }
  return { series, storeDays };
}
