import { parentPort, workerData } from "node:worker_threads";
import { plainError } from "../concurrency/worker-job.js";
import { openDatabase } from "../data/open.js";
import { saveHistoryCache } from "../data/optiflow/history-cache-repository.js";
import type { HistoryCacheJob } from "./history-cache-in-worker.js";

/** A worker thread of step 2: stores the history cache of a full reading (one transaction). */
const job = workerData as HistoryCacheJob;
const db = openDatabase(job.dbPath);
try {
  saveHistoryCache(db, job.header, job.days);
  parentPort?.postMessage(true);
} catch (error) {
  throw plainError(error);
} finally {
  db.close();
}
