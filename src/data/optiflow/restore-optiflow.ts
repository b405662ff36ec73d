import type { Db } from "../open.js";
import { openDatabaseReadonly } from "../open.js";
import { MIGRATIONS, type Migration, migrate } from "./migrate.js";
import { OptiflowSchemaError, optiflowTableShape } from "./schema-check.js";

export interface RestoreSummary {
  from: string;
  tables: { table: string; rows: number }[];
}

/** Identifiers cannot be bound: every name used below comes from Optiflow's own migrations. */
const SAFE_NAME = /^optiflow_[a-z0-9_]+$/;
const SAFE_COLUMN = /^[a-z_][a-z0-9_]*$/;

function sourceTables(source: Db): Map<string, string[]> {
  const tables = source
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'optiflow\\_%' ESCAPE '\\'",
    )
    .all() as { name: string }[];
  const columns = source.prepare("SELECT name FROM pragma_table_info(?)");
  return new Map(
    tables
      .filter((t) => SAFE_NAME.test(t.name))
      .map((t) => [t.name, (columns.all(t.name) as { name: string }[]).map((c) => c.name)]),
  );
}

/**
 * Recovery from a damaged or missing Optiflow table: Optiflow's tables (results, runs, user
 * inputs, users) are dropped, created again from Optiflow's own migrations, and filled with the
 * backup's rows, in one transaction. Nothing of the backup is executed: no SQL text is taken from
 * it (a crafted backup's "CREATE TABLE …; DROP TABLE promotions" stays text), only rows are read,
 * from tables whose names and columns are Optiflow's. The legacy tables are neither read nor
 * written. The caller takes a backup of the current state first.
 */
export function restoreOptiflowTables(db: Db, backupPath: string): RestoreSummary {
  const source = openDatabaseReadonly(backupPath);
  let available: Map<string, string[]>;
  let theirMigrations: readonly Migration[];
  try {
    available = sourceTables(source);
    theirMigrations = migrationsOf(source);
  } finally {
    source.close();
  }
  if (available.size === 0)
    throw new OptiflowSchemaError([{ table: backupPath, problem: "holds no Optiflow table" }]);
  // The tables as the backup's version had them, filled, then brought forward by this version's
  // later migrations: their backfills then reach the restored rows (an older run's stock-out day
  // is its on-hand cover, as migration 18 gives it), which tables created at this version and
  // filled afterwards left empty.
  const ours = optiflowTableShape(theirMigrations);
  // The backup's schema is parsed when attached, never run; untrusted schema may call no function.
  db.pragma("trusted_schema = OFF");
  db.prepare("ATTACH DATABASE ? AS source").run(backupPath);
  try {
    return db.transaction(() => {
      const existing = db
        .prepare(
          "SELECT type, name FROM main.sqlite_master WHERE type IN ('table', 'view') AND name LIKE 'optiflow\\_%' ESCAPE '\\'",
        )
        .all() as { type: string; name: string }[];
      for (const { type, name } of existing)
        if (SAFE_NAME.test(name))
          db.exec(`DROP ${type === "view" ? "VIEW" : "TABLE"} main.${name}`);
      migrate(db, undefined, theirMigrations);
      const tables: RestoreSummary["tables"] = [];
      for (const [table, columns] of ours) {
        if (table === "optiflow_migrations") continue;
        const theirs = new Set(available.get(table) ?? []);
        const common = columns.filter((c) => theirs.has(c) && SAFE_COLUMN.test(c));
        if (!SAFE_NAME.test(table) || common.length === 0) {
          tables.push({ table, rows: 0 });
          continue;
        }
        const list = common.join(", ");
        const rows = db
          .prepare(
            `INSERT OR REPLACE INTO main.${table} (${list}) SELECT ${list} FROM source.${table}`,
          )
          .run().changes;
        tables.push({ table, rows });
      }
      migrate(db);
      return { from: backupPath, tables };
    })();
  } finally {
    db.exec("DETACH DATABASE source");
  }
}

/**
 * This version's migrations up to the last one the backup had without a gap; all of them when it
 * records none (its numbers are only read as numbers, against Optiflow's own list).
 */
function migrationsOf(source: Db): readonly Migration[] {
  const recorded = source
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'optiflow_migrations'")
    .get();
  if (!recorded) return MIGRATIONS;
  const versions = new Set(
    (source.prepare("SELECT version FROM optiflow_migrations").all() as { version: unknown }[]).map(
      (r) => r.version,
    ),
  );
  let count = 0;
  while (count < MIGRATIONS.length && versions.has((MIGRATIONS[count] as Migration).version))
    count++;
  return count === 0 ? MIGRATIONS : MIGRATIONS.slice(0, count);
}
