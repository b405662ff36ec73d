import { runWorkerJob, workerThreads } from "../concurrency/worker-job.js";
import type { Db } from "../data/open.js";
import {
  type DaysToFreeze,
  type HistoryCacheHeader,
  saveHistoryCache,
} from "../data/optiflow/history-cache-repository.js";

const WORKER_URL = new URL("./history-cache-worker.js", import.meta.url);

export interface HistoryCacheJob {
  dbPath: string;
  header: HistoryCacheHeader;
  days: DaysToFreeze;
}

/**
 * Stores a full reading's history cache on a thread of its own, with its own connection. Packing
 * three years of days is a second or more of CPU on 10,000 series, and the main thread has the
 * night's inputs to build meanwhile while the other core would sit idle: step 2 awaits this
 * only at its end. The series reach the thread without a copy when they are on shared memory
 * (read-sales.ts), and nobody writes them after the reading. Here, on one core or from
 * TypeScript sources.
 */
export function saveHistoryCacheBeside(
  db: Db,
  header: HistoryCacheHeader,
  days: DaysToFreeze,
): Promise<void> {
  if (workerThreads(WORKER_URL) === 0 || db.memory) {
    saveHistoryCache(db, header, days);
    return Promise.resolve();
  }
  return runWorkerJob<true>(WORKER_URL, {
    dbPath: db.name,
    header,
    days,
  } satisfies HistoryCacheJob).then(() => undefined);
}
