import type { Db } from "../open.js";

export interface AuditEntry {
  actor: string;
  action: string;
  details: unknown;
  at: string;
}

/**
 * A user's change and its audit row in one IMMEDIATE transaction: both land or neither does.
 * The caller takes the backup first (SPEC §2.2).
 */
export function auditedWrite<T>(db: Db, entry: AuditEntry, write: (db: Db, at: string) => T): T {
  return db
    .transaction(() => {
      db.prepare("INSERT INTO optiflow_audit (at, actor, action, details) VALUES (?, ?, ?, ?)").run(
        entry.at,
        entry.actor,
        entry.action,
        JSON.stringify(entry.details),
      );
      return write(db, entry.at);
    })
    .immediate();
}
