import { existsSync, readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { LEGACY_TABLES, legacySchemaSql, legacySchemaStatements } from "./legacy-schema.js";

const CONTRACT = new URL("../../../../shared/legacy-schema.sql", import.meta.url);

function describeSchema(sql: string) {
  const db = new Database(":memory:");
  db.exec(sql);
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  const result = Object.fromEntries(
    tables.map((name) => [
      name,
      {
        columns: db
          .prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)')
          .all(name),
        foreignKeys: db
          .prepare('SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)')
          .all(name),
        indexes: db
          .prepare('SELECT name, "unique", origin FROM pragma_index_list(?) ORDER BY name')
          .all(name),
      },
    ]),
  );
  db.close();
  return result;
}

describe("legacy schema", () => {
  it("declares the 18 legacy tables", () => {
    expect(Object.keys(describeSchema(legacySchemaSql())).sort()).toEqual(
      [...LEGACY_TABLES].sort(),
    );
  });

  it("gives the same schema when built in bulk-load order (tables, then indexes)", () => {
    const { tables, indexes } = legacySchemaStatements();
    expect(describeSchema([...tables, ...indexes].join(";\n"))).toEqual(
      describeSchema(legacySchemaSql()),
    );
  });

  it.skipIf(!existsSync(CONTRACT))(
    "is identical to the contract in ../shared, table by table",
    () => {
      const contract = describeSchema(readFileSync(CONTRACT, "utf8"));
      const ours = describeSchema(legacySchemaSql());
      expect(Object.keys(ours).sort()).toEqual(Object.keys(contract).sort());
      for (const table of Object.keys(contract))
        expect(ours[table], table).toEqual(contract[table]);
    },
  );
});
