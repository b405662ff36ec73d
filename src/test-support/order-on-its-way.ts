import Database from "better-sqlite3";
import { addDays } from "../domain/calendar/days.js";

/** Units on the order the helper places: more than any demo article sells in its period. */
const ORDER_ON_ITS_WAY_UNITS = 5_000;

/**
 * A test's own copy of a legacy base, as a shelf emptied overnight with an order already on its
 * way would leave it: the article's stock in the store at 0, and a purchase order sent a lead
 * time before its day (yesterday at the latest) for `units` (ORDER_ON_ITS_WAY_UNITS by default),
 * expected the day a delivery ordered today would come (today plus the lead time), or on
 * `expectedOn`: a later day, up to the suggestions' target date (the shelf then waits for it), or
 * a day already past (a late delivery). With the default units, the shelf runs out before any
 * delivery (critical), and the goods on order cover the target date, so the formula orders
 * nothing. Called again for another day, it adds that order. The order is the article's supplier's,
 * or `supplierId`'s (one the article is not bought from any more). The next batch reads it.
 * Returns the day the order is expected.
 */
export function emptyShelfWithOrderOnItsWay(
  dbPath: string,
  articleId: number,
  storeId: number,
  today: string,
  expectedOn?: string,
  units = ORDER_ON_ITS_WAY_UNITS,
  supplierId?: number,
): string {
  const db = new Database(dbPath);
  try {
    const article = db
      .prepare(
        `SELECT a.fournisseur_id AS supplier, a.prix_achat AS price,
                COALESCE(a.delai_livraison_jours, f.delai_livraison_jours) AS lead
         FROM articles a JOIN fournisseurs f ON f.id = a.fournisseur_id WHERE a.id = ?`,
      )
      .get(articleId) as { supplier: number; price: number | null; lead: number };
    const expected = expectedOn ?? addDays(today, Math.max(1, article.lead));
    db.transaction(() => {
      db.prepare("UPDATE stocks SET quantite = 0 WHERE article_id = ? AND magasin_id = ?").run(
        articleId,
        storeId,
      );
      const order = db
        .prepare(
          `INSERT INTO commandes (numero, fournisseur_id, magasin_id, date_commande,
                                  date_livraison_prevue, statut)
           VALUES (?, ?, ?, ?, ?, 'ENVOYEE')`,
        )
        .run(
          `TEST-${articleId}-${storeId}-${expected}`,
          supplierId ?? article.supplier,
          storeId,
          // Placed a lead time before its day, yesterday at the latest.
          addDays(expected, -Math.max(1, article.lead)) < today
            ? addDays(expected, -Math.max(1, article.lead))
            : addDays(today, -1),
          expected,
        );
      db.prepare(
        "INSERT INTO lignes_commande (commande_id, article_id, quantite, prix_unitaire) VALUES (?, ?, ?, ?)",
      ).run(order.lastInsertRowid, articleId, units, article.price);
    })();
    return expected;
  } finally {
    db.close();
  }
}
