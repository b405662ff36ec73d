import Database from "better-sqlite3";
import { addDays } from "../domain/calendar/days.js";
import { demoDatabase, FIXTURE_TODAY } from "./demo-fixture.js";

/** Every kind of dirt a legacy base holds, and what step 1 must call it. */
export const DIRTY_KINDS = [
  "orphan_reference",
  "negative_stock",
  "missing_price",
  "duplicate_day",
  "future_date",
  "invalid_value",
  "missing_supplier",
] as const;

/**
 * A demo base soiled the way real retail bases are: orphans, negative stock, NULL and text prices,
 * a duplicated sales day, sales dated in the future, text in numeric columns, an article without
 * supplier. Written through a raw connection with foreign keys off, as the legacy software (or a
 * hand edit) would have: Optiflow's own connections refuse to write these tables.
 */
export function dirtyDatabase(dir: string, name = "dirty.db"): string {
  const path = demoDatabase(dir, name, 36);
  const raw = new Database(path);
  try {
    raw.pragma("foreign_keys = OFF");
    const [first, second, third, fourth] = raw
      .prepare("SELECT id FROM articles WHERE actif = 1 ORDER BY id LIMIT 4")
      .all() as { id: number }[];
    const store = (
      raw.prepare("SELECT id FROM magasins ORDER BY id LIMIT 1").get() as { id: number }
    ).id;
    const lastSale = raw
      .prepare(
        "SELECT date, magasin_id, article_id, quantite, chiffre_affaires FROM ventes WHERE article_id = ? ORDER BY date DESC LIMIT 1",
      )
      .get(first!.id) as {
      date: string;
      magasin_id: number;
      article_id: number;
      quantite: number;
      chiffre_affaires: number;
    };
    const sale = raw.prepare(
      "INSERT INTO ventes (date, magasin_id, article_id, quantite, chiffre_affaires, prix_moyen) VALUES (?, ?, ?, ?, ?, NULL)",
    );
    raw.transaction(() => {
      // Orphans: a sale of an unknown article and in an unknown store, stock of an unknown article.
      sale.run(addDays(FIXTURE_TODAY, -3), store, 999_999, 2, 5);
      sale.run(addDays(FIXTURE_TODAY, -3), 999, first!.id, 2, 5);
      raw
        .prepare(
          "INSERT INTO stocks (article_id, magasin_id, quantite, date_maj) VALUES (999999, ?, 4, ?)",
        )
        .run(store, FIXTURE_TODAY);
      raw.prepare("UPDATE articles SET categorie_id = 999 WHERE id = ?").run(fourth!.id);
      // Negative stock.
      raw
        .prepare("UPDATE stocks SET quantite = -7 WHERE article_id = ? AND magasin_id = ?")
        .run(second!.id, store);
      // NULL prices, text price.
      raw
        .prepare("UPDATE articles SET prix_achat = NULL, prix_vente = NULL WHERE id = ?")
        .run(second!.id);
      raw.prepare("UPDATE articles SET prix_achat = 'n/c' WHERE id = ?").run(third!.id);
      // The same day keyed in twice.
      sale.run(
        lastSale.date,
        lastSale.magasin_id,
        lastSale.article_id,
        lastSale.quantite,
        lastSale.chiffre_affaires,
      );
      // Sales dated today and later.
      sale.run(FIXTURE_TODAY, store, first!.id, 3, 9);
      sale.run(addDays(FIXTURE_TODAY, 40), store, first!.id, 3, 9);
      // Text where numbers belong, and an unreadable date.
      sale.run(addDays(FIXTURE_TODAY, -2), store, third!.id, "douze", 0);
      sale.run("2026-13-45", store, third!.id, 1, 2);
      raw
        .prepare("UPDATE stocks SET quantite = 'N/A' WHERE article_id = ? AND magasin_id = ?")
        .run(third!.id, store);
      raw
        .prepare(
          "UPDATE articles SET colisage = 'six', delai_livraison_jours = 'deux' WHERE id = ?",
        )
        .run(fourth!.id);
      // An article without supplier.
      raw.prepare("UPDATE articles SET fournisseur_id = NULL WHERE id = ?").run(first!.id);
    })();
  } finally {
    raw.close();
  }
  return path;
}
