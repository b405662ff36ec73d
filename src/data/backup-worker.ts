import { parentPort, workerData } from "node:worker_threads";
import { type BackupJob, backupHere } from "./backup-in-worker.js";

/** The worker thread of `backupInWorker`: copies the base, answers with the path or the error. */
backupHere(workerData as BackupJob).then(
  (path) => parentPort?.postMessage({ path }),
  (error: Error) => parentPort?.postMessage({ error: error.message }),
);
