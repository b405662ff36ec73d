import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { BackupError, type BackupOptions, backupDatabase } from "./backup.js";
import { openDatabaseReadonly } from "./open.js";

const WORKER_URL = new URL("./backup-worker.js", import.meta.url);

export interface BackupJob {
  dbPath: string;
  dir: string;
  keep: number;
  nowIso: string;
}

/**
 * A backup taken on a worker thread with its own connection, so that the server's event loop
 * keeps answering the pages while the base is copied. Runs on the calling thread when the
 * compiled worker is absent (tests from TypeScript sources).
 */
export async function backupInWorker(dbPath: string, options: BackupOptions): Promise<string> {
  const job: BackupJob = {
    dbPath,
    dir: options.dir,
    keep: options.keep,
    nowIso: options.now.toISOString(),
  };
  if (!existsSync(WORKER_URL)) return backupHere(job);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: job });
    worker.once("message", (answer: { path?: string; error?: string }) => {
      if (answer.path) resolve(answer.path);
      else reject(new BackupError(answer.error ?? "backup failed"));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new BackupError(`backup worker exited with code ${code}`));
    });
  });
}

export async function backupHere(job: BackupJob): Promise<string> {
  const db = openDatabaseReadonly(job.dbPath);
  try {
    return await backupDatabase(db, { dir: job.dir, keep: job.keep, now: new Date(job.nowIso) });
  } finally {
    db.close();
  }
}
