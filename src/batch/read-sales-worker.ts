import { parentPort, workerData } from "node:worker_threads";
import { readDailySales } from "../data/legacy/read-sales.js";
import { openDatabaseReadonly } from "../data/open.js";
import type { SalesReadJob, SalesReadPart } from "./read-sales-in-workers.js";

/** A worker thread of step 2: reads one range of articles' sales, sends the series back. */
const job = workerData as SalesReadJob;
const db = openDatabaseReadonly(job.dbPath);
try {
  const sales = readDailySales(
    db,
    job.firstDay,
    job.endDay,
    job.firstIso,
    job.endIso,
    job.articles,
  );
  const keys = [...sales.series.keys()];
  const buffers = keys.map((k) => sales.series.get(k)?.buffer as ArrayBuffer);
  const part: SalesReadPart = {
    keys,
    buffers,
    storeDays: [...sales.storeDays.entries()].map(([id, dates]) => [id, [...dates]]),
  };
  parentPort?.postMessage(part, buffers);
} finally {
  db.close();
}
