import { existsSync } from "node:fs";
import { runWorkerJob } from "../concurrency/worker-job.js";
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
  // Even on one core: the point is to keep the copy off the event loop.
  if (!existsSync(WORKER_URL)) return backupHere(job);
  const answer = await runWorkerJob<{ path?: string; error?: string }>(WORKER_URL, job);
  if (!answer.path) throw new BackupError(answer.error ?? "backup failed");
  return answer.path;
}

export async function backupHere(job: BackupJob): Promise<string> {
  const db = openDatabaseReadonly(job.dbPath);
  try {
    return await backupDatabase(db, { dir: job.dir, keep: job.keep, now: new Date(job.nowIso) });
  } finally {
    db.close();
  }
}
