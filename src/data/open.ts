import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { LEGACY_TABLES } from "./legacy/legacy-schema.js";

export type Db = Database.Database;

/** How long a write waits for another program's write lock before SQLITE_BUSY. */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

export class DatabaseNotFoundError extends Error {
  constructor(readonly path: string) {
    super(
      `database not found: ${path} (create a demo one with "optiflow demo --db ${path}" or import CSV files with "optiflow import")`,
    );
    this.name = "DatabaseNotFoundError";
  }
}

/**
 * Opens the retailer's database for Optiflow's own writes. The only place pragmas are set.
 * Legacy tables are guarded by TEMP triggers: they live in this connection only, so the
 * retailer's file is not altered, yet any INSERT/UPDATE/DELETE on a legacy table through
 * this connection aborts (SPEC §2.1, enforced in code and not only by convention).
 */
export function openDatabase(path: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): Db {
  if (!existsSync(path)) throw new DatabaseNotFoundError(path);
  const db = new Database(path, { fileMustExist: true });
  db.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // Legacy data may hold orphans (SPEC: dirty values to survive and report): no FK enforcement.
  db.pragma("foreign_keys = OFF");
  guardLegacyTables(db);
  return db;
}

/** A read-only connection: what the pages and the legacy readers use. */
export function openDatabaseReadonly(path: string): Db {
  if (!existsSync(path)) throw new DatabaseNotFoundError(path);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 10000");
  return db;
}

function guardLegacyTables(db: Db): void {
  const present = new Set(
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name),
  );
  for (const table of LEGACY_TABLES) {
    if (!present.has(table)) continue;
    for (const op of ["INSERT", "UPDATE", "DELETE"]) {
      // Identifiers cannot be bound as parameters; `table` comes from the fixed LEGACY_TABLES list.
      db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS optiflow_guard_${table}_${op.toLowerCase()}
         BEFORE ${op} ON main.${table}
         BEGIN SELECT RAISE(ABORT, 'Optiflow never writes the legacy table ${table}'); END`,
      );
    }
  }
}
