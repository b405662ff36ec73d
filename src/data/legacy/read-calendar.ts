import type { Db } from "../open.js";
import { hasOptiflowTable } from "../optiflow/results-repository.js";

export interface CalendarEventRow {
  name: string;
  type: string;
  start: string;
  end: string;
  storeId: number | null;
  categoryId: number | null;
  articleId: number | null;
  /** Expected impact in % declared by a user, when given. */
  impactPct: number | null;
  source: "legacy" | "user";
}

export interface PromotionRow {
  articleId: number | null;
  categoryId: number | null;
  storeId: number | null;
  start: string;
  end: string;
  discountPct: number;
}

/** Legacy `evenements` and the events users declared in Optiflow, in one list. */
export function readCalendarEvents(db: Db): CalendarEventRow[] {
  const legacy = db
    .prepare(
      `SELECT nom AS name, type, date_debut AS start, date_fin AS end, magasin_id AS storeId,
              NULL AS categoryId, NULL AS articleId, NULL AS impactPct, 'legacy' AS source
       FROM evenements WHERE date_debut IS NOT NULL AND date_fin IS NOT NULL`,
    )
    .all() as CalendarEventRow[];
  const migrated = hasOptiflowTable(db, "optiflow_events");
  if (!migrated) return legacy;
  const user = db
    .prepare(
      `SELECT name, type, date_debut AS start, date_fin AS end, magasin_id AS storeId, categorie_id AS categoryId,
              article_id AS articleId, impact_pct AS impactPct, 'user' AS source
       FROM optiflow_events`,
    )
    .all() as CalendarEventRow[];
  return [...legacy, ...user];
}

export function readPromotions(db: Db): PromotionRow[] {
  return db
    .prepare(
      `SELECT article_id AS articleId, categorie_id AS categoryId, magasin_id AS storeId, date_debut AS start, date_fin AS end,
              remise_pct AS discountPct
       FROM promotions WHERE typeof(remise_pct) IN ('integer', 'real')`,
    )
    .all() as PromotionRow[];
}
