import { DatabaseBusyError, explainBusy } from "../database-errors.js";
import { type Db, openDatabase, openDatabaseReadonly } from "../open.js";
import { assertNotNewer, migrate, pendingMigrations } from "./migrate.js";

/** Opens the retailer's database for Optiflow's writes, with its own tables up to date. */
export function openOptiflowDatabase(
  path: string,
  now: () => Date = () => new Date(),
  busyTimeoutMs?: number,
): Db {
  const db = openDatabase(path, busyTimeoutMs);
  try {
    migrate(db, now);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Opens for reading, Optiflow's tables first brought up to date when an older version left them
 * behind. The readers expect every migration's columns: after an upgrade, the morning's first
 * command ("optiflow alerts critical") failed on "no such column" until a batch or the server
 * migrated. A base Optiflow never wrote to is left as it is (nothing is published there).
 */
export function openOptiflowReader(path: string, busyTimeoutMs?: number): Db {
  const reader = openDatabaseReadonly(path);
  try {
    assertNotNewer(reader);
  } catch (error) {
    reader.close();
    throw error;
  }
  if (pendingMigrations(reader).length === 0) return reader;
  reader.close();
  try {
    explainBusy("Optiflow's tables were not brought up to date for this version.", () =>
      openOptiflowDatabase(path, undefined, busyTimeoutMs).close(),
    );
  } catch (error) {
    if (error instanceof DatabaseBusyError) throw error;
    throw new OptiflowUpgradeError(path, error);
  }
  return openDatabaseReadonly(path);
}

export class OptiflowUpgradeError extends Error {
  constructor(path: string, cause: unknown) {
    super(
      `Optiflow's tables in ${path} come from an older version and could not be brought up to date (${cause instanceof Error ? cause.message : String(cause)}): run "optiflow ml batch" or "optiflow serve" once with write access to the file`,
    );
    this.name = "OptiflowUpgradeError";
  }
}
