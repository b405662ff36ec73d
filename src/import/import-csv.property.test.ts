import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createTempDir } from "../test-support/temp-dir.js";
import { convertCell, type ImportColumn } from "./column-value.js";
import { ImportError, importCsvDirectory } from "./import-csv.js";

/**
 * Property-based: whatever CSV a retailer's export holds, the import either builds the whole
 * database or fails with problems naming file, line and column, and leaves nothing behind.
 */
const temp = createTempDir("optiflow-import-props-");
afterAll(() => temp.remove());
const SEED = 20261126;

const column = fc.record({
  name: fc.constantFrom("id", "quantite", "prix_achat", "date", "date_maj", "nom", "code"),
  type: fc.constantFrom("INTEGER", "REAL", "TEXT") as fc.Arbitrary<ImportColumn["type"]>,
  notNull: fc.boolean(),
  hasDefault: fc.boolean(),
  defaultValue: fc.constantFrom(null, 0, 1, "1111110"),
});

/** Cells a hand-made or foreign export contains: right ones, French decimals, junk. */
const cell = fc.oneof(
  fc.constantFrom("1", "2", "-3", "4,5", "4.5", "1e3", "", " ", "2024-01-02", "2024-02-30"),
  fc.constantFrom("2024-01-02 10:00:00", "abc", "NaN", "Infinity", "9".repeat(20), '"', "a;b"),
  fc.string({ maxLength: 10 }),
  fc.integer({ min: -10, max: 1000 }).map(String),
  fc.double().map(String),
);

function csvLine(cells: readonly string[], separator: string): string {
  return cells
    .map((c) => (/[",;\n\r]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c))
    .join(separator);
}

const HEADERS = {
  magasins: ["id", "code", "nom", "jours_ouverture"],
  articles: ["id", "reference", "nom", "prix_achat", "date_creation"],
  ventes: ["date", "magasin_id", "article_id", "quantite", "chiffre_affaires"],
} as const;

/** Keys unique per row (ids, codes), as a real export has them. */
function validRow(table: keyof typeof HEADERS, index: number): string[] {
  const n = String(index + 1);
  if (table === "magasins") return [n, `MAG${n}`, "Lyon", "1111110"];
  if (table === "articles") return [n, `ART-${n}`, "Pâtes", "1.20", "2024-01-01"];
  return ["2024-01-02", "1", n, "3", "4.5"];
}

/** A table's rows: valid ones with, now and then, a cell replaced by a drawn one. */
function rowsOf(table: keyof typeof HEADERS) {
  const change = fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: cell },
  );
  const row = fc.array(change, {
    minLength: HEADERS[table].length,
    maxLength: HEADERS[table].length,
  });
  return fc
    .array(row, { minLength: 0, maxLength: 4 })
    .map((rows) => rows.map((changes, i) => validRow(table, i).map((v, j) => changes[j] ?? v)));
}

describe("CSV import under arbitrary content", () => {
  it("converts any cell to a value of the column's type, or explains why not", () => {
    fc.assert(
      fc.property(column, fc.string(), fc.boolean(), (col, raw, decimalComma) => {
        const result = convertCell(col, raw, decimalComma);
        if (!result.ok) {
          expect(result.message.length).toBeGreaterThan(0);
          return;
        }
        const { value } = result;
        if (value === null) expect(col.notNull && !col.hasDefault).toBe(false);
        else if (raw.trim() === "") expect(value).toBe(col.defaultValue);
        else if (col.type === "INTEGER") expect(Number.isSafeInteger(value)).toBe(true);
        else if (col.type === "REAL") expect(Number.isFinite(value)).toBe(true);
        else expect(typeof value).toBe("string");
      }),
      { numRuns: 2000, seed: SEED },
    );
  });

  it("builds the whole database or nothing, and names file, line and column of each problem", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        rowsOf("magasins"),
        rowsOf("articles"),
        rowsOf("ventes"),
        fc.constantFrom(",", ";"),
        async (stores, articles, sales, separator) => {
          const dir = join(temp.path, `csv-${++run}`);
          mkdirSync(dir);
          const tables = { magasins: stores, articles, ventes: sales };
          for (const [table, rows] of Object.entries(tables)) {
            const header = HEADERS[table as keyof typeof HEADERS];
            const lines = [header, ...rows].map((cells) => csvLine(cells, separator));
            writeFileSync(join(dir, `${table}.csv`), `${lines.join("\n")}\n`);
          }
          const target = join(dir, "imported.db");
          try {
            const summary = await importCsvDirectory(target, dir);
            // Everything or nothing: every drawn row is in the base.
            const db = new Database(target, { readonly: true });
            for (const [table, rows] of Object.entries(tables)) {
              const { n } = db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number };
              expect(n, table).toBe(rows.length);
              expect(summary.rows[table as keyof typeof tables]).toBe(rows.length);
            }
            db.close();
          } catch (error) {
            expect(error).toBeInstanceOf(ImportError);
            const problems = (error as ImportError).problems;
            expect(problems.length).toBeGreaterThan(0);
            for (const p of problems) {
              expect(Object.keys(tables).map((t) => `${t}.csv`)).toContain(p.file);
              expect(p.message.length).toBeGreaterThan(0);
              if (p.column !== null) expect(p.line).toBeGreaterThanOrEqual(1);
            }
            expect(existsSync(target)).toBe(false);
            expect(readdirSync(dir).filter((f) => !f.endsWith(".csv"))).toEqual([]);
          }
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });
});
