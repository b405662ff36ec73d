import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
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
export async function findDataAnomaliesInWorkers(db: Db, todayIso: string): Promise<DataAnomaly[]> {
  const threads = Math.min(availableParallelism(), 4);
  if (threads < 2 || !existsSync(WORKER_URL) || db.memory) return findDataAnomalies(db, todayIso);
  const parts = await Promise.all(
    shareChecks(threads).map((checks) => runPart({ dbPath: db.name, todayIso, checks })),
  );
  return parts
    .flat()
    .sort((a, b) => a.index - b.index)
    .map((found) => found.anomaly);
}

function runPart(job: DataChecksJob): Promise<DataChecksPart> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: job });
    worker.once("message", (part: DataChecksPart) => {
      resolve(part);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`data checks worker exited with code ${code}`));
    });
  });
}
