import { existsSync, readFileSync } from "node:fs";

/**
 * The retailer's 18-table schema, kept verbatim in `schema/legacy-schema.sql` (the contract of
 * SPEC §2). Resolved relative to this module: `src/data/legacy/` in tests, `dist/src/data/legacy/`
 * once built, both below the repository root that holds `schema/`.
 */
const SCHEMA_URL = [
  new URL("../../../schema/legacy-schema.sql", import.meta.url),
  new URL("../../../../schema/legacy-schema.sql", import.meta.url),
].find((url) => existsSync(url)) as URL;

export const LEGACY_TABLES = [
  "magasins",
  "categories",
  "fournisseurs",
  "articles",
  "stocks",
  "stocks_historique",
  "ventes",
  "mouvements_stock",
  "commandes",
  "lignes_commande",
  "receptions",
  "lignes_reception",
  "prix_historique",
  "promotions",
  "evenements",
  "ruptures",
  "inventaires",
  "parametres",
] as const;

export type LegacyTable = (typeof LEGACY_TABLES)[number];

export function isLegacyTable(name: string): name is LegacyTable {
  return (LEGACY_TABLES as readonly string[]).includes(name);
}

export function legacySchemaSql(): string {
  return readFileSync(SCHEMA_URL, "utf8");
}

/**
 * The schema split into table and index statements, so that a bulk load (demo, import) can
 * create the indexes after the rows: same final schema, several times faster to fill.
 */
export function legacySchemaStatements(): { tables: string[]; indexes: string[] } {
  const withoutComments = legacySchemaSql().replace(/--[^\n]*/g, "");
  const statements = withoutComments
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !/^PRAGMA/i.test(s));
  return {
    tables: statements.filter((s) => /^CREATE TABLE/i.test(s)),
    indexes: statements.filter((s) => /^CREATE INDEX/i.test(s)),
  };
}
