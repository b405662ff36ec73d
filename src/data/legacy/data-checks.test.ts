import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { demoDatabase, FIXTURE_TODAY } from "../../test-support/demo-fixture.js";
import { dirtyDatabase } from "../../test-support/dirty-database.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import { CHECKS, countRows, sampleRows, shareChecks } from "./data-checks.js";

describe("sharing the data checks among threads", () => {
  it("gives every check to exactly one thread, the heavy scans apart", () => {
    for (const parts of [1, 2, 3, 4]) {
      const groups = shareChecks(parts);
      expect(groups).toHaveLength(parts);
      const all = groups.flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i));
      expect(all.length).toBeGreaterThan(10);
    }
    const [a, b] = shareChecks(2);
    // The duplicate-day and invalid-value scans of `ventes` are the two heaviest.
    const heavy = [7, 9];
    expect(heavy.filter((i) => a?.includes(i))).toHaveLength(1);
    expect(heavy.filter((i) => b?.includes(i))).toHaveLength(1);
  });
});

describe("the cheaper counts of the large scans", () => {
  const temp = createTempDir("optiflow-checks-");
  afterAll(() => temp.remove());

  it("count exactly the rows each check selects, on a base with every kind of dirt", () => {
    const path = dirtyDatabase(temp.path);
    const raw = new Database(path);
    try {
      raw.pragma("foreign_keys = OFF");
      // Dirt the plain counts see and a shortcut could miss: a row both undated and unreadable,
      // a date stored as a number, a third copy of a duplicated day, an orphan in an old month,
      // a text article id (sorted after the numbers), an unknown store of a known article.
      const sale = raw.prepare(
        "INSERT INTO ventes (date, magasin_id, article_id, quantite, chiffre_affaires) VALUES (?, ?, ?, ?, 0)",
      );
      const { id, store, date } = raw
        .prepare("SELECT article_id AS id, magasin_id AS store, date FROM ventes LIMIT 1")
        .get() as { id: number; store: number; date: string };
      sale.run("hier", store, id, "dix");
      sale.run(20240105, store, id, 1);
      sale.run(date, store, id, 1);
      sale.run(date, store, id, 2);
      sale.run("2024-02-03", store, 888_888, 1);
      sale.run("2024-02-04", store, "X12", 1);
      sale.run("2024-02-05", 777, id, 1);
      const counted = CHECKS.filter((c) => c.count !== undefined);
      expect(counted.length).toBeGreaterThanOrEqual(3);
      for (const check of counted) {
        const params = check.usesToday ? [FIXTURE_TODAY] : [];
        const plain = Number(
          raw
            .prepare(`SELECT COUNT(*) FROM (${check.rows})`)
            .pluck()
            .get(...params),
        );
        expect(countRows(raw, check, params), check.kind).toBe(plain);
        expect(plain, check.kind).toBeGreaterThan(0);
      }
      const sampled = CHECKS.filter((c) => c.samples !== undefined);
      expect(sampled.length).toBeGreaterThan(0);
      for (const check of sampled) {
        const params = check.usesToday ? [FIXTURE_TODAY] : [];
        const first = raw
          .prepare(`SELECT * FROM (${check.rows}) ORDER BY id LIMIT 5`)
          .all(...params);
        expect(first.length, check.kind).toBeGreaterThan(0);
        expect(sampleRows(raw, check, params), check.kind).toEqual(first);
      }
    } finally {
      raw.close();
    }
  });

  it("take their clean branch on a base without such dirt, with the same counts", () => {
    const raw = new Database(demoDatabase(temp.path, "clean.db", 12));
    try {
      for (const check of CHECKS.filter((c) => c.count !== undefined)) {
        const plain = Number(raw.prepare(`SELECT COUNT(*) FROM (${check.rows})`).pluck().get());
        expect(countRows(raw, check, []), check.kind).toBe(plain);
      }
      const duplicates = CHECKS.find((c) => c.kind === "duplicate_day") as (typeof CHECKS)[number];
      expect(countRows(raw, duplicates, [])).toBe(0);
    } finally {
      raw.close();
    }
  });
});
