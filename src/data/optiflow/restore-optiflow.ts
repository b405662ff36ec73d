import type { Db } from "../open.js";
import { openDatabaseReadonly } from "../open.js";
import { migrate } from "./migrate.js";
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
  try {
    available = sourceTables(source);
  } finally {
    source.close();
  }
  if (available.size === 0)
    throw new OptiflowSchemaError([{ table: backupPath, problem: "holds no Optiflow table" }]);
  const ours = optiflowTableShape();
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
      migrate(db);
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
      return { from: backupPath, tables };
    })();
  } finally {
    db.exec("DETACH DATABASE source");
  }
}
