import type { Db } from "../open.js";

/** An anomaly of the legacy data: reported to the user, never fixed (SPEC §6 step 1). */
export interface DataAnomaly {
  kind: string;
  table: string;
  count: number;
  description: string;
  samples: unknown[];
  /** The store's code, for a check made per store (sales_gap). */
  store?: string;
}

export interface Check {
  kind: string;
  table: string;
  description: string;
  /** Selects the offending rows; `?` is bound to today's date where used. */
  rows: string;
  /**
   * Counts them the way `SELECT COUNT(*) FROM (rows)` does, cheaper: on a large base the plain
   * count evaluates a costly test on each of millions of rows (data-checks.test.ts proves both
   * counts equal on a dirty base).
   */
  count?: string;
  /**
   * The first offending rows by id, cheaper than `rows` read until five are found: that reading
   * scans the whole table when fewer than five exist, as on most bases (data-checks.test.ts
   * proves both give the same rows).
   */
  samples?: string;
  usesToday?: boolean;
  /** Relative cost (a full scan of `ventes` ≈ 10): lets threads share the checks evenly. */
  cost?: number;
}

const IS_NUMBER = (column: string) => `typeof(${column}) IN ('integer', 'real')`;

/**
 * The distinct (article, store) pairs of `ventes` not both known, found by walking the
 * (article, store, date) index from pair to pair: a few seeks per pair (0.1 s for 10,000 pairs
 * and 5 million rows) where grouping the whole index took 0.56 s and a scan of the rows 0.8 s.
 * MIN(...) > ? seeks in the index; comparisons follow SQLite's order across types, as the
 * index does, so text ids are walked too.
 */
const UNKNOWN_SALE_PAIRS = `WITH RECURSIVE pairs(a, m) AS (
    SELECT a, (SELECT MIN(magasin_id) FROM ventes WHERE article_id = a) FROM (SELECT MIN(article_id) AS a FROM ventes)
    UNION ALL
    SELECT
      CASE WHEN (SELECT MIN(magasin_id) FROM ventes WHERE article_id = p.a AND magasin_id > p.m) IS NOT NULL THEN p.a
           ELSE (SELECT MIN(article_id) FROM ventes WHERE article_id > p.a) END,
      COALESCE((SELECT MIN(magasin_id) FROM ventes WHERE article_id = p.a AND magasin_id > p.m),
               (SELECT MIN(magasin_id) FROM ventes WHERE article_id = (SELECT MIN(article_id) FROM ventes WHERE article_id > p.a)))
    FROM pairs p WHERE p.a IS NOT NULL),
  unknown AS (SELECT a, m FROM pairs WHERE a IS NOT NULL AND (a NOT IN (SELECT id FROM articles) OR m NOT IN (SELECT id FROM magasins)))`;

const VALID_DATE = "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'";

export const CHECKS: readonly Check[] = [
  {
    kind: "negative_stock",
    table: "stocks",
    description: "stock négatif",
    rows: "SELECT article_id, magasin_id, quantite FROM stocks WHERE quantite < 0",
  },
  {
    kind: "orphan_reference",
    table: "ventes",
    description: "vente d'un article ou d'un magasin inconnu",
    rows: "SELECT id, date, article_id, magasin_id FROM ventes WHERE article_id NOT IN (SELECT id FROM articles) OR magasin_id NOT IN (SELECT id FROM magasins)",
    // Each (article, store) pair tested once, the rows of unknown ones read through the index.
    count: `${UNKNOWN_SALE_PAIRS}
            SELECT COUNT(*) FROM unknown u JOIN ventes v ON v.article_id = u.a AND v.magasin_id = u.m`,
    samples: `${UNKNOWN_SALE_PAIRS}
              SELECT v.id, v.date, v.article_id, v.magasin_id FROM unknown u
              JOIN ventes v ON v.article_id = u.a AND v.magasin_id = u.m ORDER BY v.id`,
    cost: 1,
  },
  {
    kind: "orphan_reference",
    table: "stocks",
    description: "stock d'un article ou d'un magasin inconnu",
    rows: "SELECT article_id, magasin_id FROM stocks WHERE article_id NOT IN (SELECT id FROM articles) OR magasin_id NOT IN (SELECT id FROM magasins)",
  },
  {
    kind: "orphan_reference",
    table: "lignes_commande",
    description: "ligne de commande sans commande ou sans article",
    rows: "SELECT id, commande_id, article_id FROM lignes_commande WHERE commande_id NOT IN (SELECT id FROM commandes) OR article_id NOT IN (SELECT id FROM articles)",
    cost: 3,
  },
  {
    kind: "orphan_reference",
    table: "articles",
    description: "article rattaché à une catégorie inconnue",
    rows: "SELECT id, reference, categorie_id FROM articles WHERE categorie_id IS NOT NULL AND categorie_id NOT IN (SELECT id FROM categories)",
  },
  {
    kind: "missing_price",
    table: "articles",
    description: "article actif sans prix d'achat ou de vente",
    rows: `SELECT id, reference, prix_achat, prix_vente FROM articles WHERE actif = 1 AND (NOT ${IS_NUMBER("prix_achat")} OR NOT ${IS_NUMBER("prix_vente")})`,
  },
  {
    kind: "missing_supplier",
    table: "articles",
    description: "article actif sans fournisseur connu",
    rows: "SELECT id, reference, fournisseur_id FROM articles WHERE actif = 1 AND (fournisseur_id IS NULL OR fournisseur_id NOT IN (SELECT id FROM fournisseurs))",
  },
  {
    kind: "duplicate_day",
    table: "ventes",
    description:
      "plusieurs lignes de vente le même jour pour un article et un magasin (additionnées)",
    rows: "SELECT date, magasin_id, article_id, COUNT(*) AS lignes FROM ventes GROUP BY date, magasin_id, article_id HAVING COUNT(*) > 1",
    // As many distinct days as rows (the clean case) is one pass over the index, no grouping.
    count: `SELECT CASE WHEN (SELECT COUNT(*) FROM ventes) = (SELECT COUNT(*) FROM (SELECT DISTINCT article_id, magasin_id, date FROM ventes))
            THEN 0 ELSE (SELECT COUNT(*) FROM (SELECT date, magasin_id, article_id FROM ventes GROUP BY date, magasin_id, article_id HAVING COUNT(*) > 1)) END`,
    cost: 10,
  },
  {
    kind: "future_date",
    table: "ventes",
    description: "vente datée d'aujourd'hui ou plus tard (ignorée)",
    rows: "SELECT id, date, article_id, magasin_id FROM ventes WHERE date >= ?",
    usesToday: true,
  },
  {
    kind: "invalid_value",
    table: "ventes",
    description: "quantité ou date illisible (ignorée)",
    rows: `SELECT id, date, quantite FROM ventes WHERE NOT ${IS_NUMBER("quantite")} OR date NOT GLOB ${VALID_DATE}`,
    // The date pattern tested once per distinct date (a thousand, found by walking the date
    // index from one to the next: 0.005 s where DISTINCT read the whole index in 0.35 s) instead
    // of once per row (millions); the rows of unreadable dates, then those whose only fault is
    // the quantity.
    count: `WITH RECURSIVE dates(date) AS (
                   SELECT MIN(date) FROM ventes
                   UNION ALL
                   SELECT (SELECT MIN(date) FROM ventes WHERE date > d.date) FROM dates d WHERE d.date IS NOT NULL),
                 unreadable AS (SELECT date FROM dates WHERE date IS NOT NULL AND date NOT GLOB ${VALID_DATE})
            SELECT (SELECT COUNT(*) FROM ventes WHERE date IN unreadable)
                 + (SELECT COUNT(*) FROM ventes WHERE NOT ${IS_NUMBER("quantite")} AND date GLOB ${VALID_DATE})`,
    cost: 11,
  },
  {
    kind: "invalid_value",
    table: "stocks",
    description: "quantité en stock illisible",
    rows: `SELECT article_id, magasin_id, quantite FROM stocks WHERE NOT ${IS_NUMBER("quantite")}`,
  },
  {
    kind: "invalid_value",
    table: "articles",
    description: "colisage, minimum de commande ou délai illisible",
    rows: `SELECT id, reference, colisage, minimum_commande, delai_livraison_jours FROM articles
           WHERE NOT ${IS_NUMBER("colisage")} OR NOT ${IS_NUMBER("minimum_commande")}
              OR (delai_livraison_jours IS NOT NULL AND NOT ${IS_NUMBER("delai_livraison_jours")})`,
  },
  {
    kind: "sales_on_stock_out",
    table: "ruptures",
    description: "ventes enregistrées pendant une rupture déclarée",
    rows: `SELECT r.id, r.article_id, r.magasin_id, COUNT(*) AS ventes FROM ruptures r JOIN ventes v
             ON v.article_id = r.article_id AND v.magasin_id = r.magasin_id AND v.date BETWEEN r.date_debut AND COALESCE(r.date_fin, '9999-12-31')
           WHERE v.quantite > 0 GROUP BY r.id`,
  },
];

const SAMPLE_LIMIT = 5;

/** The checks split into `parts` groups of about equal cost (longest first, to the lightest group). */
export function shareChecks(parts: number): number[][] {
  const groups = Array.from({ length: parts }, () => ({ cost: 0, checks: [] as number[] }));
  const order = CHECKS.map((c, i) => ({ i, cost: c.cost ?? 1 })).sort((a, b) => b.cost - a.cost);
  for (const { i, cost } of order) {
    const lightest = groups.reduce((a, b) => (b.cost < a.cost ? b : a));
    lightest.cost += cost;
    lightest.checks.push(i);
  }
  return groups.map((g) => g.checks.sort((a, b) => a - b));
}

export function findDataAnomalies(db: Db, todayIso: string): DataAnomaly[] {
  return runChecks(
    db,
    todayIso,
    CHECKS.map((_, i) => i),
  ).map((found) => found.anomaly);
}

/** Runs the checks of the given indices; each anomaly found comes with its check's index. */
export function runChecks(
  db: Db,
  todayIso: string,
  which: readonly number[],
): { index: number; anomaly: DataAnomaly }[] {
  const anomalies: { index: number; anomaly: DataAnomaly }[] = [];
  for (const index of which) {
    const check = CHECKS[index] as Check;
    const params = check.usesToday ? [todayIso] : [];
    const count = countRows(db, check, params);
    if (count === 0) continue;
    const samples = sampleRows(db, check, params);
    anomalies.push({
      index,
      anomaly: {
        kind: check.kind,
        table: check.table,
        count,
        description: check.description,
        samples,
      },
    });
  }
  return anomalies;
}

/** Up to five of the rows a check selects. */
export function sampleRows(db: Db, check: Check, params: readonly unknown[]): unknown[] {
  return db.prepare(`${check.samples ?? check.rows} LIMIT ${SAMPLE_LIMIT}`).all(...params);
}

/** The number of rows a check selects. */
export function countRows(db: Db, check: Check, params: readonly unknown[]): number {
  const sql = check.count ?? `SELECT COUNT(*) FROM (${check.rows})`;
  return Number(
    db
      .prepare(sql)
      .pluck()
      .get(...params) ?? 0,
  );
}

/** Days the store should have opened (its mask) but recorded no sale at all: gaps in the data. */
export function findSalesGaps(openDaysWithoutSales: ReadonlyMap<string, string[]>): DataAnomaly[] {
  return [...openDaysWithoutSales.entries()]
    .filter(([, dates]) => dates.length > 0)
    .map(([storeCode, dates]) => ({
      kind: "sales_gap",
      table: "ventes",
      count: dates.length,
      description: `jours d'ouverture sans aucune vente (magasin ${storeCode}) sur les 90 derniers jours`,
      samples: dates.slice(0, SAMPLE_LIMIT),
      store: storeCode,
    }));
}
