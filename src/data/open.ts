import { accessSync, constants, existsSync } from "node:fs";
import { basename } from "node:path";
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
  // SQLite opens a file it may not write read-only without a word, and the first write fails
  // halfway through a command: say so before anything starts.
  assertWritable(path);
  const db = new Database(path, { fileMustExist: true });
  return withAccessExplained(path, db, () => {
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    // Legacy data may hold orphans (SPEC: dirty values to survive and report): no FK enforcement.
    db.pragma("foreign_keys = OFF");
    guardLegacyTables(db);
  });
}

/** A read-only connection: what the pages and the legacy readers use. */
export function openDatabaseReadonly(path: string): Db {
  if (!existsSync(path)) throw new DatabaseNotFoundError(path);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  // Reading a WAL base creates its "-shm" file beside it: a folder this user may not write
  // fails here rather than in the middle of a page or a command.
  return withAccessExplained(path, db, () => {
    db.pragma("busy_timeout = 10000");
    db.prepare("SELECT count(*) FROM sqlite_master").get();
  });
}

/**
 * The database file, or the folder SQLite keeps its journal in, may not be written by this user
 * (permissions, a read-only disk). Optiflow keeps its own tables in the file and SQLite its
 * journal beside it, so even a command that only reads needs both.
 */
export class DatabaseNotWritableError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(
      `cannot write to ${path} or to its folder: ${NOT_WRITABLE_REASONS[reason] ?? reason}. Optiflow keeps its own tables in that file and SQLite its journal (${basename(path)}-wal, ${basename(path)}-shm) beside it, so every command, even one that only reads, needs the right to write both: run Optiflow as the file's owner, or give its user write access to the file and its folder`,
    );
    this.name = "DatabaseNotWritableError";
  }
}

/** The codes of the file system and of SQLite, in words. */
const NOT_WRITABLE_REASONS: Record<string, string> = {
  EACCES: "this user may not write the file",
  EPERM: "this user may not write the file",
  EROFS: "the disk holding it is read-only",
  SQLITE_READONLY_DIRECTORY: "this user may not create files in its folder",
  SQLITE_CANTOPEN: "SQLite could not open its journal files beside it",
};

/** SQLite's codes for a file or a folder it may not write (SQLITE_READONLY_DIRECTORY…). */
export function isNotWritableError(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  return code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN");
}

function assertWritable(path: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch (error) {
    throw new DatabaseNotWritableError(path, (error as NodeJS.ErrnoException).code ?? "EACCES");
  }
}

function withAccessExplained(path: string, db: Db, setUp: () => void): Db {
  try {
    setUp();
  } catch (error) {
    db.close();
    if (isNotWritableError(error))
      throw new DatabaseNotWritableError(path, String((error as { code?: unknown }).code));
    throw error;
  }
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
