import Database from "better-sqlite3";
import type { Db } from "../open.js";
import { MIGRATIONS, type Migration, migrate, pendingMigrations } from "./migrate.js";

export interface SchemaProblem {
  table: string;
  problem: string;
}

/** Where recovery is explained, and the command that does it. */
export const RECOVERY_HINT =
  'restore Optiflow\'s tables from the last backup with "optiflow db restore-optiflow --from <backup file>" (legacy tables untouched), then run "optiflow ml batch"; see docs/RELIABILITY.md';

export class OptiflowSchemaError extends Error {
  constructor(readonly problems: readonly SchemaProblem[]) {
    super(
      `Optiflow's tables are damaged: ${problems.map((p) => `${p.table} ${p.problem}`).join("; ")}. To recover, ${RECOVERY_HINT}.`,
    );
    this.name = "OptiflowSchemaError";
  }
}

type TableShape = Map<string, string[]>;

/** Shapes by the list of migrations that made them, built in memory from the migrations. */
const shapes = new Map<string, TableShape>();

/** The shape these migrations produce (by default, every one of this version). */
export function optiflowTableShape(
  migrations: readonly Migration[] = MIGRATIONS,
): ReadonlyMap<string, readonly string[]> {
  return expectedShape(migrations);
}

function expectedShape(migrations: readonly Migration[]): TableShape {
  const key = migrations.map((m) => m.version).join(",");
  const known = shapes.get(key);
  if (known) return known;
  const memory = new Database(":memory:");
  migrate(memory, undefined, migrations);
  const shape = tableShape(memory);
  memory.close();
  shapes.set(key, shape);
  return shape;
}

function tableShape(db: Db): TableShape {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'optiflow\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as { name: string }[];
  const columns = db.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid");
  return new Map(
    tables.map(({ name }) => [name, (columns.all(name) as { name: string }[]).map((c) => c.name)]),
  );
}

/**
 * Optiflow's tables as the migrations made them: each present, with its columns. Only meaningful
 * once migrations have run (a base never opened by Optiflow has none, which is not damage). A
 * base an older version wrote is held to the migrations it had: its missing newer columns are
 * not damage (pendingMigrations says what the next opening for writing adds), and `db check`
 * sent its user to restore a backup for them.
 */
export function checkOptiflowSchema(db: Db): SchemaProblem[] {
  const actual = tableShape(db);
  if (actual.size === 0) return [];
  const pending = new Set(pendingMigrations(db).map((m) => m.version));
  const own = MIGRATIONS.filter((m) => !pending.has(m.version));
  const problems: SchemaProblem[] = [];
  for (const [table, columns] of expectedShape(own)) {
    const found = actual.get(table);
    if (!found) problems.push({ table, problem: "is missing" });
    else if (found.join(",") !== columns.join(","))
      problems.push({
        table,
        problem: `has columns (${found.join(", ")}) instead of (${columns.join(", ")})`,
      });
  }
  return problems;
}

export function assertOptiflowSchema(db: Db): void {
  const problems = checkOptiflowSchema(db);
  if (problems.length > 0) throw new OptiflowSchemaError(problems);
}
