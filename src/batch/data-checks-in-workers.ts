import { runWorkerJob, workerThreads } from "../concurrency/worker-job.js";
import {
  type DataAnomaly,
  findDataAnomalies,
  type runChecks,
  shareChecks,
} from "../data/legacy/data-checks.js";
import type { Db } from "../data/open.js";

const WORKER_URL = new URL("./data-checks-worker.js", import.meta.url);

export interface DataChecksJob {
  dbPath: string;
  todayIso: string;
  checks: number[];
}

export type DataChecksPart = ReturnType<typeof runChecks>;

/**
 * Step 1's checks are independent full scans of the legacy tables (several seconds on a large
 * base): they are shared among worker threads, each with its own read-only connection, and the
 * anomalies put back in the checks' order. On one core, or from TypeScript sources, they run here.
 */
export async function findDataAnomaliesInWorkers(
  db: Db,
  todayIso: string,
  options: { besideMainThread: boolean },
): Promise<DataAnomaly[]> {
  const cores = workerThreads(WORKER_URL);
  // Beside a busy main thread, one core fewer: more threads than cores would slow it down.
  const threads = options.besideMainThread && cores > 0 ? Math.max(1, cores - 1) : cores;
  if (threads === 0 || db.memory) return findDataAnomalies(db, todayIso);
  const parts = await Promise.all(
    shareChecks(threads).map((checks) =>
      runWorkerJob<DataChecksPart>(WORKER_URL, {
        dbPath: db.name,
        todayIso,
        checks,
      } satisfies DataChecksJob),
    ),
  );
  return parts
    .flat()
    .sort((a, b) => a.index - b.index)
    .map((found) => found.anomaly);
}
