import { setTimeout as sleep } from "node:timers/promises";
import type { Config } from "../config.js";
import { backupTakenAt, listBackups } from "../data/backup.js";
import { backupInWorker } from "../data/backup-in-worker.js";
import { isBusyError } from "../data/database-errors.js";
import type { Db } from "../data/open.js";
import { auditedWrite } from "../data/optiflow/audited-write.js";
import type { ServerDeps } from "./server-deps.js";

/** Who an edit is audited as: the session's login, or "web" where no login is asked (loopback). */
export function actorOf(request: { user: { login: string } | null }): string {
  return request.user?.login ?? "web";
}

/** The backup under way, if any: edits arriving meanwhile wait for it instead of starting theirs. */
let running: Promise<unknown> | null = null;

/**
 * SPEC §2.2 for user edits: a backup before a session that writes. A user's session is taken as
 * an hour: the first edit after an hour without backup takes one, so that a burst of edits does
 * not copy a large base once per click.
 */
async function backupIfDue(config: Config, now: Date): Promise<void> {
  while (running) await running.catch(() => {});
  const newest = listBackups(config.backupDir).at(-1);
  const newestAt = newest ? (backupTakenAt(newest)?.getTime() ?? 0) : 0;
  if (now.getTime() - newestAt > 3_600_000) {
    running = backupInWorker(config.dbPath, {
      dir: config.backupDir,
      keep: config.backupKeep,
      now,
    }).finally(() => {
      running = null;
    });
    await running;
  }
}

const RETRY_EVERY_MS = 100;

/**
 * A user's write: backup when due, then the audit row and the change in one IMMEDIATE
 * transaction, so both land or neither does. While another writer (the nightly batch, another
 * program) holds the lock, the attempt is retried every 100 ms without blocking the event loop
 * (pages keep loading) for up to `config.busyTimeoutMs`; then SQLITE_BUSY reaches the client as
 * a 503 saying nothing was saved.
 */
export async function userWrite<T>(
  deps: ServerDeps,
  actor: string,
  action: string,
  details: unknown,
  write: (db: Db, at: string) => T,
): Promise<T> {
  const db = deps.writeDb();
  const now = deps.now();
  await backupIfDue(deps.config, now);
  const entry = { actor, action, details, at: now.toISOString() };
  const deadline = performance.now() + deps.config.busyTimeoutMs;
  for (;;) {
    try {
      return auditedWrite(db, entry, write);
    } catch (error) {
      if (!isBusyError(error) || performance.now() >= deadline) throw error;
      await sleep(RETRY_EVERY_MS);
    }
  }
}
