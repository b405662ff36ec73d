import { parentPort, workerData } from "node:worker_threads";
import { onWorkerDatabase } from "../concurrency/worker-job.js";
import { runChecks } from "../data/legacy/data-checks.js";
import { openDatabaseReadonly } from "../data/open.js";
import type { DataChecksJob } from "./data-checks-in-workers.js";

/** A worker thread of step 1: runs its share of the data checks, sends the anomalies back. */
const job = workerData as DataChecksJob;
onWorkerDatabase(
  () => openDatabaseReadonly(job.dbPath),
  (db) => parentPort?.postMessage(runChecks(db, job.todayIso, job.checks)),
);
