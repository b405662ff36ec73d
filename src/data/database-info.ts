import { statSync } from "node:fs";
import { isLegacyTable, LEGACY_TABLES } from "./legacy/legacy-schema.js";
import type { Db } from "./open.js";
import { appliedMigrations } from "./optiflow/migrate.js";

export type TableKind = "legacy" | "optiflow" | "other";

export interface TableInfo {
  name: string;
  kind: TableKind;
  rows: number;
}

export interface DatabaseStats {
  path: string;
  sizeBytes: number;
  legacyTablesMissing: string[];
  tables: TableInfo[];
  sales: { firstDate: string | null; lastDate: string | null };
  activeArticles: number;
  activeStores: number;
  migrations: ReturnType<typeof appliedMigrations>;
}

function tableKind(name: string): TableKind {
  if (isLegacyTable(name)) return "legacy";
  return name.startsWith("optiflow_") ? "optiflow" : "other";
}

function tableNames(db: Db): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

export function databaseStats(db: Db, path: string): DatabaseStats {
  const names = tableNames(db);
  const tables = names.map((name) => ({
    name,
    kind: tableKind(name),
    // Names come from sqlite_master itself; identifiers cannot be bound as parameters.
    rows: (
      db.prepare(`SELECT COUNT(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }
    ).n,
  }));
  const has = new Set(names);
  const sales = has.has("ventes")
    ? (db
        .prepare("SELECT MIN(date) AS firstDate, MAX(date) AS lastDate FROM ventes")
        .get() as DatabaseStats["sales"])
    : { firstDate: null, lastDate: null };
  const count = (sql: string, table: string) =>
    has.has(table) ? (db.prepare(sql).get() as { n: number }).n : 0;
  return {
    path,
    sizeBytes: statSync(path).size,
    legacyTablesMissing: LEGACY_TABLES.filter((t) => !has.has(t)),
    tables,
    sales,
    activeArticles: count("SELECT COUNT(*) AS n FROM articles WHERE actif = 1", "articles"),
    activeStores: count("SELECT COUNT(*) AS n FROM magasins WHERE actif = 1", "magasins"),
    migrations: appliedMigrations(db),
  };
}

export interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
  primaryKey: number;
  defaultValue: string | null;
}

export interface SchemaTable {
  name: string;
  kind: TableKind;
  columns: ColumnInfo[];
}

export function databaseSchema(db: Db): SchemaTable[] {
  return tableNames(db).map((name) => ({
    name,
    kind: tableKind(name),
    columns: (
      db
        .prepare(
          'SELECT name, type, "notnull" AS nn, pk, dflt_value AS dflt FROM pragma_table_info(?)',
        )
        .all(name) as {
        name: string;
        type: string;
        nn: number;
        pk: number;
        dflt: string | null;
      }[]
    ).map((c) => ({
      name: c.name,
      type: c.type,
      notNull: c.nn === 1,
      primaryKey: c.pk,
      defaultValue: c.dflt,
    })),
  }));
}
