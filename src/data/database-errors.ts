/** Another program holds the write lock longer than Optiflow waits (SQLITE_BUSY). */
export class DatabaseBusyError extends Error {
  constructor(what: string, options?: { cause?: unknown }) {
    super(
      `the database is busy: another program is writing to it. ${what} Try again when it has finished.`,
      options,
    );
    this.name = "DatabaseBusyError";
  }
}

const BUSY_CODES = new Set([
  "SQLITE_BUSY",
  "SQLITE_BUSY_SNAPSHOT",
  "SQLITE_BUSY_TIMEOUT",
  "SQLITE_LOCKED",
]);

/** better-sqlite3 throws SqliteError with the SQLite result code in `code`. */
export function isBusyError(error: unknown): boolean {
  return BUSY_CODES.has(String((error as { code?: unknown } | null)?.code ?? ""));
}

/** Runs `work`, turning SQLITE_BUSY into a DatabaseBusyError that says what did not happen. */
export function explainBusy<T>(whatDidNotHappen: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isBusyError(error)) throw new DatabaseBusyError(whatDidNotHappen, { cause: error });
    throw error;
  }
}

/** SQLite's own words when one of Optiflow's tables is gone or not what the code expects. */
const SCHEMA_MESSAGE =
  /no such (table|column)|has no column named|SQLITE_CORRUPT|database disk image is malformed/i;

export function isSchemaError(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  return code.startsWith("SQLITE_CORRUPT") || SCHEMA_MESSAGE.test((error as Error)?.message ?? "");
}
