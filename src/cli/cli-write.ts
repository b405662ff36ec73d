import { backupDatabase } from "../data/backup.js";
import { explainBusy } from "../data/database-errors.js";
import type { Db } from "../data/open.js";
import { auditedWrite } from "../data/optiflow/audited-write.js";
import { openOptiflowDatabase } from "../data/optiflow/open-optiflow.js";
import type { CliContext } from "./cli-context.js";

export interface CliWriter {
  /** Optiflow's write connection (legacy tables guarded): checks read through it too. */
  db: Db;
  /** Who the audit names: the system user behind the command, or "schedule" for the server's. */
  actor: string;
  /** SPEC §2.2: a backup, then the change and its audit row in one transaction. */
  write<T>(action: string, details: unknown, change: (db: Db, at: string) => T): Promise<T>;
}

/** A user's edit from the command line, recorded under the system user's name. */
export async function withCliWriter<T>(
  context: CliContext,
  dbOption: string | undefined,
  work: (writer: CliWriter) => Promise<T> | T,
): Promise<T> {
  const config = context.config(dbOption);
  const db = explainBusy("Nothing was saved.", () =>
    openOptiflowDatabase(config.dbPath, () => context.now(), config.busyTimeoutMs),
  );
  // `optiflow serve` sets the trigger on the commands it runs at night (the weekly replay).
  const actor =
    process.env.OPTIFLOW_BATCH_TRIGGER === "schedule"
      ? "schedule"
      : `cli:${process.env.USER ?? process.env.USERNAME ?? "unknown"}`;
  try {
    return await work({
      db,
      actor,
      async write(action, details, change) {
        const now = context.now();
        await backupDatabase(db, { dir: config.backupDir, keep: config.backupKeep, now });
        return explainBusy("Nothing was saved.", () =>
          auditedWrite(db, { actor, action, details, at: now.toISOString() }, change),
        );
      },
    });
  } finally {
    db.close();
  }
}
