import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { legacyChecksums } from "../data/legacy/checksum.js";
import { LEGACY_TABLES } from "../data/legacy/legacy-schema.js";
import { demoDatabase } from "../test-support/demo-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { ImportError, importCsvDirectory } from "./import-csv.js";

const temp = createTempDir();
afterAll(() => temp.remove());

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Dumps every legacy table of a database to one CSV each, as a retailer's export would. */
function exportToCsv(dbPath: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const db = new Database(dbPath, { readonly: true });
  for (const table of LEGACY_TABLES) {
    const statement = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`);
    const header = statement.columns().map((c) => c.name);
    const lines = [header.join(",")];
    for (const row of statement.raw(true).iterate() as Iterable<unknown[]>)
      lines.push(row.map(csvCell).join(","));
    writeFileSync(join(dir, `${table}.csv`), `${lines.join("\n")}\n`);
  }
  db.close();
}

function minimalCsvDir(name: string, overrides: Record<string, string> = {}): string {
  const dir = join(temp.path, name);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    "magasins.csv": "id,code,nom,jours_ouverture\n1,MAG01,Lyon,1111110\n",
    "articles.csv": 'id,reference,nom,prix_achat,date_creation\n1,ART-1,Pâtes,"1,20",2024-01-01\n',
    "ventes.csv": "date,magasin_id,article_id,quantite,chiffre_affaires\n2024-01-02,1,1,3,4.5\n",
    ...overrides,
  };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe("CSV import", () => {
  it("rebuilds a database identical to the one its CSV files came from", async () => {
    const source = demoDatabase(temp.path, "source.db", 18);
    const dir = join(temp.path, "export");
    exportToCsv(source, dir);
    const target = join(temp.path, "imported.db");
    const summary = await importCsvDirectory(target, dir);
    expect(summary.missingFiles).toEqual([]);
    expect(summary.orphans.some((o) => o.table === "ventes" && o.parent === "articles")).toBe(true);
    const [a, b] = [source, target].map((p) => {
      const db = new Database(p, { readonly: true });
      const sums = legacyChecksums(db);
      db.close();
      return sums;
    });
    expect(b).toEqual(a);
  });

  it("fills defaults, accepts quoted decimals and leaves tables without a file empty", async () => {
    const target = join(temp.path, "minimal.db");
    const summary = await importCsvDirectory(
      target,
      minimalCsvDir("minimal", {
        "articles.csv":
          "id,reference,nom,prix_achat,date_creation\n1,ART-1,Pâtes,1.20,2024-01-01\n",
      }),
    );
    expect(summary.rows).toMatchObject({ magasins: 1, articles: 1, ventes: 1 });
    expect(summary.missingFiles).toContain("stocks");
    const db = new Database(target, { readonly: true });
    expect(db.prepare("SELECT colisage, unite, prix_achat FROM articles").get()).toEqual({
      colisage: 1,
      unite: "u",
      prix_achat: 1.2,
    });
    db.close();
  });

  it("reads semicolon-separated files with decimal commas (French spreadsheets)", async () => {
    const target = join(temp.path, "semicolon.db");
    await importCsvDirectory(
      target,
      minimalCsvDir("semicolon", {
        "ventes.csv":
          "date;magasin_id;article_id;quantite;chiffre_affaires\n2024-01-02;1;1;2,5;4,75\n",
        "articles.csv":
          "id;reference;nom;prix_achat;date_creation\n1;ART-1;Pâtes;1,20;2024-01-01\n",
      }),
    );
    const db = new Database(target, { readonly: true });
    expect(db.prepare("SELECT quantite, chiffre_affaires FROM ventes").get()).toEqual({
      quantite: 2.5,
      chiffre_affaires: 4.75,
    });
    db.close();
  });

  it("reads a French spreadsheet's dates, day first, and its grouped thousands", async () => {
    const target = join(temp.path, "french-dates.db");
    await importCsvDirectory(
      target,
      minimalCsvDir("french-dates", {
        "ventes.csv":
          "date;magasin_id;article_id;quantite;chiffre_affaires\n25/01/2024;1;1;2,5;4,75\n3/2/2024;1;1;1 000;1\u00a0234,5\n",
        "articles.csv":
          "id;reference;nom;prix_achat;date_creation\n1;ART-1;Pâtes;1,20;01/12/2023\n",
      }),
    );
    const db = new Database(target, { readonly: true });
    expect(
      db.prepare("SELECT date, quantite, chiffre_affaires FROM ventes ORDER BY date").all(),
    ).toEqual([
      { date: "2024-01-25", quantite: 2.5, chiffre_affaires: 4.75 },
      // Thousands grouped with a space and a no-break space, as the spreadsheet showed them.
      { date: "2024-02-03", quantite: 1000, chiffre_affaires: 1234.5 },
    ]);
    expect(db.prepare("SELECT date_creation FROM articles").pluck().get()).toBe("2023-12-01");
    db.close();
  });

  const failures: Array<[string, Record<string, string>, RegExp]> = [
    [
      "text in a numeric column",
      {
        "ventes.csv":
          "date,magasin_id,article_id,quantite,chiffre_affaires\n2024-01-02,1,1,abc,4.5\n",
      },
      /ventes\.csv:2 \[quantite\]: expected a number/,
    ],
    [
      "an impossible date",
      {
        "ventes.csv":
          "date,magasin_id,article_id,quantite,chiffre_affaires\n2024-02-30,1,1,1,4.5\n",
      },
      /ventes\.csv:2 \[date\]: expected a date/,
    ],
    [
      "an impossible French date (month first, the 13th month)",
      {
        "ventes.csv":
          "date,magasin_id,article_id,quantite,chiffre_affaires\n11/25/2024,1,1,1,4.5\n",
      },
      /ventes\.csv:2 \[date\]: expected a date YYYY-MM-DD or DD\/MM\/YYYY, got "11\/25\/2024"/,
    ],
    [
      "an unknown column",
      { "magasins.csv": "id,code,nom,surface\n1,MAG01,Lyon,300\n" },
      /magasins\.csv:1 \[surface\]: unknown column/,
    ],
    [
      "a missing required column",
      { "magasins.csv": "id,nom\n1,Lyon\n" },
      /magasins\.csv:1 \[code\]: required column missing/,
    ],
    [
      "a duplicate key",
      { "magasins.csv": "id,code,nom\n1,MAG01,Lyon\n2,MAG01,Vienne\n" },
      /magasins\.csv:3: UNIQUE constraint failed: magasins\.code/,
    ],
    [
      "a value outside the allowed set",
      {
        "mouvements_stock.csv": "date,article_id,magasin_id,type,quantite\n2024-01-02,1,1,VOL,1\n",
      },
      /mouvements_stock\.csv:3|mouvements_stock\.csv:2: CHECK constraint failed/,
    ],
    [
      "a ragged line",
      { "ventes.csv": "date,magasin_id,article_id,quantite,chiffre_affaires\n2024-01-02,1,1\n" },
      /ventes\.csv/,
    ],
    [
      "a file that is not a legacy table",
      { "vente.csv": "a\n1\n" },
      /vente\.csv: is not a legacy table/,
    ],
    ["an empty file", { "ventes.csv": "" }, /ventes\.csv: is empty/],
  ];

  for (const [label, files, message] of failures) {
    it(`rejects ${label}, naming the file, line and column, and writes nothing`, async () => {
      const name = label.replaceAll(" ", "-");
      const target = join(temp.path, `${name}.db`);
      const error = await importCsvDirectory(target, minimalCsvDir(name, files)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportError);
      expect((error as Error).message).toMatch(message);
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(temp.path).filter((f) => f.startsWith(`${name}.db`))).toEqual([]);
    });
  }

  it("rejects a missing folder, missing required files, and an existing target", async () => {
    await expect(
      importCsvDirectory(join(temp.path, "x.db"), join(temp.path, "nowhere")),
    ).rejects.toThrow(/not a readable directory/);
    const dir = join(temp.path, "only-stores");
    mkdirSync(dir);
    writeFileSync(join(dir, "magasins.csv"), "id,code,nom\n1,M,Lyon\n");
    await expect(importCsvDirectory(join(temp.path, "y.db"), dir)).rejects.toThrow(
      /missing required file\(s\): articles\.csv, ventes\.csv/,
    );
    const existing = demoDatabase(temp.path, "existing.db", 18);
    await expect(importCsvDirectory(existing, minimalCsvDir("ok"))).rejects.toThrow(
      /already exists/,
    );
  });
});

const VALID_ARTICLES = "id,reference,nom,prix_achat,date_creation\n1,ART-1,Pâtes,1.20,2024-01-01\n";

describe("CSV import: encodings and the target file", () => {
  it("reads a Windows-1252 (Latin-1) file as such: accents kept, no U+FFFD", async () => {
    const dir = minimalCsvDir("latin1");
    // As a French spreadsheet saves it: Windows-1252 bytes (è 0xE8, î 0xEE, œ 0x9C, € 0x80).
    writeFileSync(
      join(dir, "articles.csv"),
      Buffer.concat([
        Buffer.from("id,reference,nom,prix_achat,date_creation\n1,ART-1,Cr", "ascii"),
        Buffer.from([0xe8]),
        Buffer.from("me fra", "ascii"),
        Buffer.from([0xee]),
        Buffer.from("che ", "ascii"),
        Buffer.from([0x9c]),
        Buffer.from("uf 5", "ascii"),
        Buffer.from([0x80]),
        Buffer.from(",1.20,2024-01-01\n", "ascii"),
      ]),
    );
    const target = join(temp.path, "latin1.db");
    const summary = await importCsvDirectory(target, dir);
    expect(summary.encodings.articles).toBe("windows-1252");
    expect(summary.encodings.magasins).toBe("utf-8");
    const db = new Database(target, { readonly: true });
    const name = (db.prepare("SELECT nom FROM articles WHERE id = 1").get() as { nom: string }).nom;
    db.close();
    expect(name).toBe("Crème fraîche œuf 5€");
  });

  it("refuses a UTF-8 file with an invalid byte further down, naming its line", async () => {
    const dir = minimalCsvDir("broken-utf8", { "articles.csv": VALID_ARTICLES });
    // Past the part of the file that decides the encoding (the first MiB).
    const good = Array.from(
      { length: 100_000 },
      (_, i) => `2024-01-0${(i % 9) + 1},1,1,${i},1.5`,
    ).join("\n");
    writeFileSync(
      join(dir, "ventes.csv"),
      Buffer.concat([
        Buffer.from(`date,magasin_id,article_id,quantite,chiffre_affaires\n${good}\n`, "utf8"),
        Buffer.from("2024-02-01,1,1,2,", "ascii"),
        Buffer.from([0xe9, 0x0a]),
      ]),
    );
    const target = join(temp.path, "broken-utf8.db");
    const error = await importCsvDirectory(target, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toMatch(/ventes\.csv:100002.*not valid UTF-8/);
    expect(existsSync(target)).toBe(false);
  });

  it("leaves a database created meanwhile untouched, and imports nothing over it", async () => {
    const dir = minimalCsvDir("race", { "articles.csv": VALID_ARTICLES });
    const target = join(temp.path, "race.db");
    const error = await importCsvDirectory(target, dir, () => {
      // Another program creates the file while the import runs.
      if (!existsSync(target)) writeFileSync(target, "someone else's file");
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toMatch(/created by another program/);
    expect(readFileSync(target, "utf8")).toBe("someone else's file");
    expect(readdirSync(temp.path).filter((f) => f.startsWith("race.db.import-"))).toEqual([]);
  });

  it("removes the temporary file a killed import left behind", async () => {
    const dir = minimalCsvDir("stale", { "articles.csv": VALID_ARTICLES });
    const target = join(temp.path, "stale.db");
    // No process has this pid (above Linux's pid_max): the import that wrote it is gone.
    const leftover = `${target}.import-99999999`;
    writeFileSync(leftover, "half an import");
    await importCsvDirectory(target, dir);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(target)).toBe(true);
  });
});
