import { parentPort, workerData } from "node:worker_threads";
import { readDailySales, readEmptyStockDays } from "../data/legacy/read-sales.js";
import { openDatabaseReadonly } from "../data/open.js";
import type { HistoryReadJob, HistoryReadPart } from "./read-history-in-workers.js";

/** A worker thread of step 2: reads its share of the sales and stock history, sends it back. */
const job = workerData as HistoryReadJob;
const db = openDatabaseReadonly(job.dbPath);
try {
  const { firstDay, endDay, firstIso, endIso } = job;
  const sales = readDailySales(db, firstDay, endDay, firstIso, endIso, job.salesRows);
  const keys = [...sales.series.keys()];
  const buffers = keys.map((k) => sales.series.get(k)?.buffer as ArrayBuffer);
  const part: HistoryReadPart = {
    keys,
    buffers,
    storeDays: [...sales.storeDays.entries()].map(([id, dates]) => [id, [...dates]]),
    emptyStockDays: [...readEmptyStockDays(db, firstIso, endIso, job.stockRows).entries()],
  };
  parentPort?.postMessage(part, buffers);
} finally {
  db.close();
}
