import type { Db } from "../open.js";

export interface LegacyStore {
  id: number;
  code: string;
  name: string;
  openingMask: string;
}

export interface LegacyArticle {
  id: number;
  reference: string;
  name: string;
  unit: string;
  categoryId: number | null;
  categoryName: string | null;
  supplierId: number | null;
  supplierName: string | null;
  supplierOrderDays: string | null;
  articleLeadTime: number | null;
  supplierLeadTime: number | null;
  packSize: number;
  minimumOrder: number;
  purchasePrice: number | null;
  shelfPrice: number | null;
  vatRate: number;
  /** `duree_conservation_jours`; null: not perishable (or unreadable). */
  shelfLifeDays: number | null;
  /** `stock_securite`, the legacy manual safety stock; null when unset. */
  safetyStock: number | null;
  active: boolean;
  createdOn: string;
}

/** A numeric legacy value, or null when the column holds text or NULL (dirty data). */
const NUM = (column: string) =>
  `CASE WHEN typeof(${column}) IN ('integer', 'real') THEN ${column} END`;

export function readStores(db: Db): LegacyStore[] {
  return db
    .prepare(
      "SELECT id, code, nom AS name, jours_ouverture AS openingMask FROM magasins WHERE actif = 1 ORDER BY id",
    )
    .all() as LegacyStore[];
}

/** A store's code, active or not; null for an id the base does not hold. */
export function readStoreCode(db: Db, storeId: number): string | null {
  const row = db.prepare("SELECT code FROM magasins WHERE id = ?").get(storeId) as
    | { code: string }
    | undefined;
  return row?.code ?? null;
}

/** An article's reference; null for an id the base does not hold. */
export function readArticleReference(db: Db, articleId: number): string | null {
  const row = db.prepare("SELECT reference FROM articles WHERE id = ?").get(articleId) as
    | { reference: string }
    | undefined;
  return row?.reference ?? null;
}

export function readArticles(db: Db): LegacyArticle[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.reference, a.nom AS name, a.unite AS unit, a.categorie_id AS categoryId, c.nom AS categoryName,
              f.id AS supplierId, f.nom AS supplierName, f.jours_commande AS supplierOrderDays,
              ${NUM("a.delai_livraison_jours")} AS articleLeadTime, ${NUM("f.delai_livraison_jours")} AS supplierLeadTime,
              ${NUM("a.colisage")} AS packSize, ${NUM("a.minimum_commande")} AS minimumOrder,
              ${NUM("a.prix_achat")} AS purchasePrice, ${NUM("a.prix_vente")} AS shelfPrice,
              COALESCE(${NUM("a.taux_tva")}, 20) AS vatRate,
              ${NUM("a.duree_conservation_jours")} AS shelfLifeDays, ${NUM("a.stock_securite")} AS safetyStock,
              a.actif AS active, a.date_creation AS createdOn
       FROM articles a
       LEFT JOIN categories c ON c.id = a.categorie_id
       LEFT JOIN fournisseurs f ON f.id = a.fournisseur_id
       ORDER BY a.id`,
    )
    .all() as (Omit<LegacyArticle, "active" | "packSize" | "minimumOrder"> & {
    active: number;
    packSize: number | null;
    minimumOrder: number | null;
  })[];
  return rows.map((r) => ({
    ...r,
    active: r.active === 1,
    packSize: r.packSize !== null && r.packSize > 0 ? r.packSize : 1,
    minimumOrder: r.minimumOrder !== null && r.minimumOrder > 0 ? r.minimumOrder : 0,
    shelfLifeDays: r.shelfLifeDays !== null && r.shelfLifeDays > 0 ? r.shelfLifeDays : null,
    safetyStock: r.safetyStock !== null && r.safetyStock > 0 ? r.safetyStock : null,
  }));
}
