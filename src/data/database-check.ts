import { LEGACY_TABLES } from "./legacy/legacy-schema.js";
import { openDatabaseReadonly } from "./open.js";
import { newerMigrations, pendingMigrations } from "./optiflow/migrate.js";
import { checkOptiflowSchema, type SchemaProblem } from "./optiflow/schema-check.js";

export interface DatabaseCheck {
  ok: boolean;
  /** SQLite's quick_check, or why the file could not be read at all. */
  integrity: string[];
  legacyTablesMissing: string[];
  problems: SchemaProblem[];
  /** This version's migrations the base has not had yet (an older version wrote it): not damage. */
  pending: { version: number; name: string }[];
  /**
   * Migrations this version does not know: a newer Optiflow wrote the base. Its tables are then
   * not checked (their newer shape is unknown here) and the check fails with exit 12, not 10.
   */
  newer: { version: number; name: string }[];
}

/**
 * `optiflow db check`: is this file a readable SQLite database, does it hold the retailer's 18
 * tables, and are Optiflow's tables as the migrations made them. A file SQLite cannot read
 * (damaged pages, not a database) is a failed check, not a crash.
 */
export function checkDatabaseFile(path: string): DatabaseCheck {
  let db: ReturnType<typeof openDatabaseReadonly> | null = null;
  try {
    db = openDatabaseReadonly(path);
    const integrity = (db.pragma("quick_check") as { quick_check: string }[]).map(
      (r) => r.quick_check,
    );
    const present = new Set(
      (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
          name: string;
        }[]
      ).map((r) => r.name),
    );
    const legacyTablesMissing = LEGACY_TABLES.filter((t) => !present.has(t));
    const newer = newerMigrations(db);
    const problems = newer.length === 0 ? checkOptiflowSchema(db) : [];
    return {
      ok:
        integrity.join() === "ok" &&
        legacyTablesMissing.length === 0 &&
        problems.length === 0 &&
        newer.length === 0,
      integrity,
      legacyTablesMissing,
      problems,
      pending: pendingMigrations(db).map(({ version, name }) => ({ version, name })),
      newer,
    };
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? "");
    if (!code.startsWith("SQLITE_")) throw error;
    return {
      ok: false,
      integrity: [
        `the file cannot be read as a SQLite database: ${(error as Error).message} (${code})`,
      ],
      legacyTablesMissing: [...LEGACY_TABLES],
      problems: [],
      pending: [],
      newer: [],
    };
  } finally {
    db?.close();
  }
}
