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
 * The raw history (8 bytes per series and day) up to which the cache is stored beside the
 * building of the series: ≈ 15,000 series of three years.
 */
export const BESIDE_MAX_BYTES = 128 * 1024 * 1024;

/**
 * Stores a full reading's history cache on a thread of its own, with its own connection. Packing
 * three years of days is a second or more of CPU on 10,000 series, and the main thread has the
 * night's inputs to build meanwhile while the other core would sit idle: step 2 awaits this
 * before it forecasts. The series reach the thread without a copy when they are on shared memory
 * (read-sales.ts), and nobody writes them after the reading.
 *
 * Stored on the calling thread instead on one core, from TypeScript sources, or beyond
 * BESIDE_MAX_BYTES. Beyond it, the storing thread's memory would add to the night's peak, which
 * comes while the raw history and the series built from it are both held: on the 5-store chain
 * (50,000 series), 1,516 MB against 1,311–1,331 MB in one sitting, for a target of 1.5 GiB.
 */
export function saveHistoryCacheBeside(
  db: Db,
  header: HistoryCacheHeader,
  days: DaysToFreeze,
): Promise<void> {
  const bytes = days.sales.size * (days.to - days.origin) * Float64Array.BYTES_PER_ELEMENT;
  if (workerThreads(WORKER_URL) === 0 || db.memory || bytes > BESIDE_MAX_BYTES) {
    saveHistoryCache(db, header, days);
    return Promise.resolve();
  }
  return runWorkerJob<true>(WORKER_URL, {
    dbPath: db.name,
    header,
    days,
  } satisfies HistoryCacheJob).then(() => undefined);
}
