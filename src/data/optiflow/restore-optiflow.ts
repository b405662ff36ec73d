import type { Db } from "../open.js";
import { openDatabaseReadonly } from "../open.js";
import { checkOptiflowSchema, OptiflowSchemaError } from "./schema-check.js";

export interface RestoreSummary {
  from: string;
  tables: { table: string; rows: number }[];
}

/** Identifiers cannot be bound: names read from sqlite_master are checked before use. */
const OPTIFLOW_NAME = /^optiflow_[a-z0-9_]+$/;

function optiflowObjects(db: Db, schema: "main" | "source", type: "table" | "index") {
  // `schema` is one of two fixed words, never user input.
  return (
    db
      .prepare(
        `SELECT name, sql FROM ${schema}.sqlite_master WHERE type = ? AND sql IS NOT NULL AND name LIKE 'optiflow\\_%' ESCAPE '\\' ORDER BY name`,
      )
      .all(type) as { name: string; sql: string }[]
  ).filter((o) => OPTIFLOW_NAME.test(o.name));
}

/**
 * Recovery from a damaged or missing Optiflow table: Optiflow's tables (results, runs, user
 * inputs, users) are replaced by those of a backup, in one transaction; the legacy tables are
 * neither read nor written. The caller takes a backup of the current state first.
 */
export function restoreOptiflowTables(db: Db, backupPath: string): RestoreSummary {
  const source = openDatabaseReadonly(backupPath);
  try {
    const problems = checkOptiflowSchema(source);
    const hasTables = optiflowObjects(source, "main", "table").length > 0;
    if (problems.length > 0 || !hasTables)
      throw new OptiflowSchemaError([
        ...problems,
        ...(hasTables ? [] : [{ table: backupPath, problem: "holds no Optiflow table" }]),
      ]);
  } finally {
    source.close();
  }
  db.prepare("ATTACH DATABASE ? AS source").run(backupPath);
  try {
    return db.transaction(() => {
      for (const { name } of optiflowObjects(db, "main", "table"))
        db.exec(`DROP TABLE main.${name}`);
      const tables = optiflowObjects(db, "source", "table");
      for (const { sql } of tables) db.exec(sql);
      const restored = tables.map(({ name }) => ({
        table: name,
        rows: db.prepare(`INSERT INTO main.${name} SELECT * FROM source.${name}`).run().changes,
      }));
      for (const { sql } of optiflowObjects(db, "source", "index")) db.exec(sql);
      return { from: backupPath, tables: restored };
    })();
  } finally {
    db.exec("DETACH DATABASE source");
  }
}
