import { parentPort, workerData } from "node:worker_threads";
import { onWorkerDatabase } from "../concurrency/worker-job.js";
import { openDatabase } from "../data/open.js";
import { saveHistoryCache } from "../data/optiflow/history-cache-repository.js";
import type { HistoryCacheJob } from "./history-cache-in-worker.js";

/** A worker thread of step 2: stores the history cache of a full reading (one transaction). */
const job = workerData as HistoryCacheJob;
onWorkerDatabase(
  () => openDatabase(job.dbPath),
  (db) => {
    saveHistoryCache(db, job.header, job.days);
    parentPort?.postMessage(true);
  },
);
