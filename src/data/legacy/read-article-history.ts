import type { Db } from "../open.js";

/**
 * One article in one store, over a window of days: what the article sheet shows beside its
 * forecast. Every query goes through an index (ventes by article and date) or reads small tables.
 */
export interface ArticleHistory {
  sales: { date: string; quantity: number; revenue: number }[];
  /** Recorded stock-outs (`ruptures`) overlapping the window. */
  stockOuts: { start: string; end: string | null }[];
  promotions: { label: string; start: string; end: string; discountPct: number }[];
  events: { name: string; type: string; start: string; end: string }[];
  /** Days the store sold nothing at all: closed (holidays, works). */
  closedDays: string[];
}

export function readArticleHistory(
  db: Db,
  articleId: number,
  storeId: number,
  fromIso: string,
  toIso: string,
  categoryId: number | null,
): Omit<ArticleHistory, "closedDays"> {
  const sales = db
    .prepare(
      `SELECT date, SUM(quantite) AS quantity, SUM(chiffre_affaires) AS revenue FROM ventes
       WHERE article_id = ? AND magasin_id = ? AND date >= ? AND date <= ?
         AND typeof(quantite) IN ('integer', 'real') GROUP BY date ORDER BY date`,
    )
    .all(articleId, storeId, fromIso, toIso) as ArticleHistory["sales"];
  const stockOuts = db
    .prepare(
      `SELECT date_debut AS start, date_fin AS end FROM ruptures
       WHERE article_id = ? AND magasin_id = ? AND date_debut <= ? AND (date_fin IS NULL OR date_fin >= ?)
       ORDER BY date_debut`,
    )
    .all(articleId, storeId, toIso, fromIso) as ArticleHistory["stockOuts"];
  const promotions = db
    .prepare(
      `SELECT libelle AS label, date_debut AS start, date_fin AS end, remise_pct AS discountPct FROM promotions
       WHERE (article_id = ? OR (article_id IS NULL AND categorie_id = ?)) AND (magasin_id IS NULL OR magasin_id = ?)
         AND date_debut <= ? AND date_fin >= ? ORDER BY date_debut`,
    )
    .all(articleId, categoryId, storeId, toIso, fromIso) as ArticleHistory["promotions"];
  const events = db
    .prepare(
      `SELECT nom AS name, type, date_debut AS start, date_fin AS end FROM evenements
       WHERE (magasin_id IS NULL OR magasin_id = ?) AND date_debut <= ? AND date_fin >= ? ORDER BY date_debut`,
    )
    .all(storeId, toIso, fromIso) as ArticleHistory["events"];
  return { sales, stockOuts, promotions, events };
}

/** Days of [from, to] the store has no sale at all (one range scan of the date index). */
export function readStoreSaleDays(
  db: Db,
  storeId: number,
  fromIso: string,
  toIso: string,
): Set<string> {
  return new Set(
    (
      db
        .prepare(
          "SELECT DISTINCT date FROM ventes WHERE date >= ? AND date <= ? AND magasin_id = ?",
        )
        .all(fromIso, toIso, storeId) as { date: string }[]
    ).map((r) => r.date),
  );
}
