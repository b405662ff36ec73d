import { createHash } from "node:crypto";
import type { Db } from "../open.js";
import { LEGACY_TABLES, type LegacyTable } from "./legacy-schema.js";

/**
 * A SHA-256 of every legacy table's schema and rows, in rowid order: proof that Optiflow left
 * the retailer's data byte-identical (SPEC §2.1). Values are hashed with their SQLite type so
 * that 1 and '1' differ.
 */
export function legacyChecksums(db: Db): Record<LegacyTable, string> {
  const result = {} as Record<LegacyTable, string>;
  for (const table of LEGACY_TABLES) result[table] = tableChecksum(db, table);
  return result;
}

function tableChecksum(db: Db, table: LegacyTable): string {
  const hash = createHash("sha256");
  const schema = db
    .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = ? ORDER BY name")
    .all(table);
  hash.update(JSON.stringify(schema));
  // `table` comes from the fixed LEGACY_TABLES list; identifiers cannot be bound.
  const rows = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw(true).iterate() as Iterable<
    unknown[]
  >;
  for (const row of rows) {
    for (const value of row) hash.update(`${typeof value}:${String(value)}\u0000`);
    hash.update("\n");
  }
  return hash.digest("hex");
}
