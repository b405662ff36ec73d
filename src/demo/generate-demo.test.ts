import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyChecksums } from "../data/legacy/checksum.js";
import { demoDatabase } from "../test-support/demo-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { DemoOptionsError, generateDemoDatabase } from "./generate-demo.js";

const temp = createTempDir();
let db: Database.Database;

beforeAll(() => {
  db = new Database(demoDatabase(temp.path), { readonly: true });
});
afterAll(() => {
  db.close();
  temp.remove();
});

const scalar = (sql: string, ...params: unknown[]): number =>
  Object.values(db.prepare(sql).get(...params) as Record<string, number>)[0] as number;

describe("demo database: properties of the generated data", () => {
  it("has a visible weekly pattern in food sales (Saturday above Tuesday)", () => {
    const byWeekday = (dow: string) =>
      scalar(
        `SELECT SUM(v.quantite) FROM ventes v JOIN articles a ON a.id = v.article_id JOIN categories c ON c.id = a.categorie_id
         WHERE c.parent_id = 1 AND strftime('%w', v.date) = ?`,
        dow,
      );
    expect(byWeekday("6")).toBeGreaterThan(1.25 * byWeekday("2"));
  });

  it("has visible yearly seasonality: drinks peak in summer, toys in December", () => {
    const dailyShare = (category: string, months: string[]) => {
      const inMonths = scalar(
        `SELECT SUM(v.quantite) FROM ventes v JOIN articles a ON a.id = v.article_id JOIN categories c ON c.id = a.categorie_id
         WHERE c.nom = ? AND substr(v.date, 6, 2) IN (${months.map(() => "?").join(",")})`,
        category,
        ...months,
      );
      const all = scalar(
        "SELECT SUM(v.quantite) FROM ventes v JOIN articles a ON a.id = v.article_id JOIN categories c ON c.id = a.categorie_id WHERE c.nom = ?",
        category,
      );
      return inMonths / all / (months.length / 12);
    };
    expect(dailyShare("Boissons", ["07", "08"])).toBeGreaterThan(1.3);
    expect(dailyShare("Jouets", ["12"])).toBeGreaterThan(2);
    expect(dailyShare("Fournitures scolaires", ["08", "09"])).toBeGreaterThan(1.5);
  });

  it("records stock-outs with no sales during them", () => {
    expect(scalar("SELECT COUNT(*) FROM ruptures")).toBeGreaterThan(20);
    const salesDuringStockOuts = scalar(
      `SELECT COUNT(*) FROM ruptures r JOIN ventes v ON v.article_id = r.article_id AND v.magasin_id = r.magasin_id
       AND v.date >= r.date_debut AND v.date <= COALESCE(r.date_fin, '9999-12-31') AND v.quantite > 0`,
    );
    expect(salesDuringStockOuts).toBe(0);
    const stockDuringStockOuts = scalar(
      `SELECT MAX(h.quantite) FROM ruptures r JOIN stocks_historique h ON h.article_id = r.article_id AND h.magasin_id = r.magasin_id
       AND h.date >= r.date_debut AND h.date <= COALESCE(r.date_fin, '9999-12-31')`,
    );
    expect(stockDuringStockOuts).toBeLessThanOrEqual(0);
  });

  it("keeps stock history consistent with stock movements, and current stock with history", () => {
    const mismatches = scalar(
      `WITH h AS (
         SELECT article_id, magasin_id, date, quantite,
                LAG(quantite) OVER (PARTITION BY article_id, magasin_id ORDER BY date) AS previous
         FROM stocks_historique),
       m AS (SELECT article_id, magasin_id, date, SUM(quantite) AS moved FROM mouvements_stock GROUP BY 1, 2, 3)
       SELECT COUNT(*) FROM h LEFT JOIN m USING (article_id, magasin_id, date)
       WHERE h.previous IS NOT NULL AND ABS(h.quantite - h.previous - COALESCE(m.moved, 0)) > 1e-6`,
    );
    expect(mismatches).toBe(0);
    const stale = scalar(
      `SELECT COUNT(*) FROM stocks s JOIN stocks_historique h ON h.article_id = s.article_id AND h.magasin_id = s.magasin_id
       AND h.date = (SELECT MAX(date) FROM stocks_historique) WHERE ABS(h.quantite - s.quantite) > 1e-6`,
    );
    expect(stale).toBe(0);
    const receivedVsMoved = scalar(
      `SELECT ABS((SELECT SUM(quantite) FROM lignes_reception) - (SELECT SUM(quantite) FROM mouvements_stock WHERE type = 'RECEPTION'))`,
    );
    expect(receivedVsMoved).toBeLessThan(1e-6);
  });

  it("has intermittent series (most days at zero) and fast movers", () => {
    const zeroShares = (
      db
        .prepare(
          `SELECT h.article_id, h.magasin_id, 1.0 - 1.0 * COUNT(v.id) / COUNT(*) AS zero_share
           FROM stocks_historique h LEFT JOIN ventes v ON v.article_id = h.article_id AND v.magasin_id = h.magasin_id AND v.date = h.date
           GROUP BY h.article_id, h.magasin_id`,
        )
        .all() as { zero_share: number }[]
    ).map((r) => r.zero_share);
    expect(zeroShares.filter((z) => z > 0.6).length).toBeGreaterThan(zeroShares.length * 0.1);
    expect(zeroShares.filter((z) => z < 0.25).length).toBeGreaterThan(zeroShares.length * 0.1);
  });

  it("has French holidays, school holidays, promotions and price changes", () => {
    expect(
      scalar("SELECT COUNT(*) FROM evenements WHERE type = 'FERIE' AND date_debut LIKE '2025-%'"),
    ).toBe(11);
    expect(scalar("SELECT COUNT(*) FROM evenements WHERE nom LIKE 'Noël%'")).toBeGreaterThanOrEqual(
      3,
    );
    expect(
      scalar("SELECT COUNT(*) FROM evenements WHERE type = 'VACANCES_SCOLAIRES'"),
    ).toBeGreaterThanOrEqual(15);
    expect(scalar("SELECT COUNT(*) FROM promotions WHERE article_id IS NOT NULL")).toBeGreaterThan(
      50,
    );
    expect(
      scalar("SELECT COUNT(*) FROM promotions WHERE categorie_id IS NOT NULL"),
    ).toBeGreaterThan(0);
    expect(
      scalar(
        "SELECT COUNT(*) FROM (SELECT article_id FROM prix_historique GROUP BY article_id HAVING COUNT(*) > 1)",
      ),
    ).toBeGreaterThan(30);
  });

  it("sells more on promotion days than outside them", () => {
    const ratio = scalar(
      `WITH p AS (SELECT article_id, date_debut, date_fin FROM promotions WHERE article_id IS NOT NULL AND magasin_id IS NULL),
       s AS (SELECT v.article_id, v.quantite, EXISTS (SELECT 1 FROM p WHERE p.article_id = v.article_id AND v.date BETWEEN p.date_debut AND p.date_fin) AS promo
             FROM ventes v WHERE v.article_id IN (SELECT article_id FROM p))
       SELECT AVG(CASE WHEN promo THEN quantite END) / AVG(CASE WHEN NOT promo THEN quantite END) FROM s`,
    );
    expect(ratio).toBeGreaterThan(1.3);
  });

  it("closes stores on their closing days: no sales on store 1's Sundays or on Christmas", () => {
    expect(scalar("SELECT jours_ouverture FROM magasins WHERE id = 1")).toBe("1111110");
    expect(
      scalar("SELECT COUNT(*) FROM ventes WHERE magasin_id = 1 AND strftime('%w', date) = '0'"),
    ).toBe(0);
    expect(scalar("SELECT COUNT(*) FROM ventes WHERE substr(date, 6, 5) = '12-25'")).toBe(0);
  });

  it("has new articles, discontinued ones, open purchase orders and inventories with shrinkage", () => {
    expect(
      scalar("SELECT COUNT(*) FROM articles WHERE date_creation > '2026-07-01'"),
    ).toBeGreaterThan(0);
    expect(scalar("SELECT COUNT(*) FROM articles WHERE actif = 0")).toBeGreaterThan(0);
    expect(
      scalar("SELECT COUNT(*) FROM commandes WHERE statut IN ('ENVOYEE', 'PARTIELLE')"),
    ).toBeGreaterThan(0);
    expect(
      scalar("SELECT COUNT(*) FROM inventaires WHERE quantite_comptee < quantite_theorique"),
    ).toBeGreaterThan(0);
  });

  it("holds a few dirty rows, as real bases do", () => {
    expect(scalar("SELECT COUNT(*) FROM articles WHERE prix_achat IS NULL")).toBeGreaterThanOrEqual(
      1,
    );
    expect(scalar("SELECT COUNT(*) FROM stocks WHERE quantite < 0")).toBeGreaterThanOrEqual(1);
    expect(
      scalar("SELECT COUNT(*) FROM ventes WHERE article_id NOT IN (SELECT id FROM articles)"),
    ).toBeGreaterThanOrEqual(1);
  });

  it("ends the history the day before --today", () => {
    expect(scalar("SELECT MAX(date) FROM stocks_historique")).toBe("2026-11-24");
  });
});

describe("demo database: determinism and bad input", () => {
  const small = { articles: 12, stores: 1, years: 0.5, today: "2026-11-25" };

  it("gives the same database for the same seed, another for another seed", () => {
    const a = join(temp.path, "a.db");
    const b = join(temp.path, "b.db");
    const c = join(temp.path, "c.db");
    generateDemoDatabase(a, { ...small, seed: 1 });
    generateDemoDatabase(b, { ...small, seed: 1 });
    generateDemoDatabase(c, { ...small, seed: 2 });
    const sums = [a, b, c].map((p) => {
      const conn = new Database(p, { readonly: true });
      const result = legacyChecksums(conn);
      conn.close();
      return result;
    });
    expect(sums[0]).toEqual(sums[1]);
    expect(sums[0]?.ventes).not.toBe(sums[2]?.ventes);
  });

  it("rejects bad options without leaving any file behind", () => {
    const path = join(temp.path, "bad.db");
    expect(() => generateDemoDatabase(path, { ...small, seed: 1, articles: -3 })).toThrow(
      DemoOptionsError,
    );
    expect(() => generateDemoDatabase(path, { ...small, seed: 1, today: "2026-02-30" })).toThrow(
      /--today/,
    );
    expect(() => generateDemoDatabase(path, { ...small, seed: 1, years: 0 })).toThrow(/--years/);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(temp.path).filter((f) => f.startsWith("bad.db"))).toEqual([]);
  });

  it("refuses to overwrite an existing database", () => {
    const path = demoDatabase(temp.path);
    expect(() => generateDemoDatabase(path, { ...small, seed: 1 })).toThrow(/already exists/);
  });
});
