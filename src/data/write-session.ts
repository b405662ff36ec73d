import { type BackupOptions, backupDatabase } from "./backup.js";
import type { Db } from "./open.js";

export interface WriteSessionOptions {
  backup: BackupOptions;
  actor: string;
  action: string;
  details?: unknown;
}

/**
 * SPEC §2.2: every session that writes (a batch run, a user edit) starts with a consistent
 * backup; if the backup fails, nothing is written. The session is recorded in the audit table.
 */
export async function runWriteSession<T>(
  db: Db,
  options: WriteSessionOptions,
  write: () => T | Promise<T>,
): Promise<{ result: T; backupPath: string }> {
  const backupPath = await backupDatabase(db, options.backup);
  db.prepare("INSERT INTO optiflow_audit (at, actor, action, details) VALUES (?, ?, ?, ?)").run(
    options.backup.now.toISOString(),
    options.actor,
    options.action,
    JSON.stringify({ backupPath, ...(options.details ? { details: options.details } : {}) }),
  );
  return { result: await write(), backupPath };
}
