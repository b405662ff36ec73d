import { parentPort, workerData } from "node:worker_threads";
import { onWorkerDatabase } from "../concurrency/worker-job.js";
import { openDatabaseReadonly } from "../data/open.js";
import { type HistoryReadJob, readHistoryPart } from "./read-history-in-workers.js";

/** A worker thread of step 2: reads its share of the sales and stock history, sends it back. */
const job = workerData as HistoryReadJob;
onWorkerDatabase(
  () => openDatabaseReadonly(job.dbPath),
  (db) => {
    const part = readHistoryPart(db, job);
    // Shared blocks are shared, not transferred (a transfer list may not name them).
    const owned = part.buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    parentPort?.postMessage(part, owned);
  },
);
