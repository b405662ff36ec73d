import type { Db } from "../open.js";
import { hasOptiflowTable } from "./results-repository.js";

/** What users declare in the pages: events that change the next forecasts, and feedback. */
export interface DeclaredEventInput {
  name: string;
  type: string;
  start: string;
  end: string;
  storeId: number | null;
  categoryId: number | null;
  articleId: number | null;
  impactPct: number | null;
}

export interface DeclaredEvent extends DeclaredEventInput {
  id: number;
  createdAt: string;
  createdBy: string;
}

export function insertEvent(
  db: Db,
  event: DeclaredEventInput,
  createdAt: string,
  createdBy: string,
): DeclaredEvent {
  const id = Number(
    db
      .prepare(
        `INSERT INTO optiflow_events (name, type, date_debut, date_fin, magasin_id, categorie_id, article_id, impact_pct, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        event.name,
        event.type,
        event.start,
        event.end,
        event.storeId,
        event.categoryId,
        event.articleId,
        event.impactPct,
        createdAt,
        createdBy,
      ).lastInsertRowid,
  );
  return { id, ...event, createdAt, createdBy };
}

export function listEvents(db: Db): DeclaredEvent[] {
  return db
    .prepare(
      `SELECT id, name, type, date_debut AS start, date_fin AS end, magasin_id AS storeId, categorie_id AS categoryId,
              article_id AS articleId, impact_pct AS impactPct, created_at AS createdAt, created_by AS createdBy
       FROM optiflow_events ORDER BY date_debut DESC, id DESC`,
    )
    .all() as DeclaredEvent[];
}

export interface FeedbackInput {
  articleId: number;
  storeId: number;
  date: string;
  direction: "TROP_HAUT" | "TROP_BAS";
  reason: "PROMOTION_NON_SAISIE" | "RUPTURE" | "EVENEMENT_EXCEPTIONNEL" | "ERREUR_DONNEES";
  comment: string | null;
}

export function insertFeedback(
  db: Db,
  feedback: FeedbackInput,
  createdAt: string,
  createdBy: string,
): { id: number } {
  const id = Number(
    db
      .prepare(
        `INSERT INTO optiflow_feedback (article_id, magasin_id, date, direction, reason, comment, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        feedback.articleId,
        feedback.storeId,
        feedback.date,
        feedback.direction,
        feedback.reason,
        feedback.comment,
        createdAt,
        createdBy,
      ).lastInsertRowid,
  );
  return { id };
}

export function listFeedback(
  db: Db,
): (FeedbackInput & { id: number; createdAt: string; appliedRunId: number | null })[] {
  return db
    .prepare(
      `SELECT id, article_id AS articleId, magasin_id AS storeId, date, direction, reason, comment, created_at AS createdAt,
              applied_run_id AS appliedRunId FROM optiflow_feedback ORDER BY id DESC`,
    )
    .all() as (FeedbackInput & { id: number; createdAt: string; appliedRunId: number | null })[];
}

export function catalog(db: Db): {
  stores: unknown[];
  categories: unknown[];
  suppliers: unknown[];
} {
  return {
    stores: db
      .prepare("SELECT id, code, nom AS name FROM magasins WHERE actif = 1 ORDER BY code")
      .all(),
    categories: db.prepare("SELECT id, nom AS name FROM categories ORDER BY nom").all(),
    suppliers: db.prepare("SELECT id, nom AS name FROM fournisseurs ORDER BY nom").all(),
  };
}

export interface DraftOrderLine {
  articleId: number;
  reference: string;
  name: string;
  storeId: number;
  storeCode: string;
  supplier: string;
  quantity: number;
  unitPrice: number | null;
}

export function listOrderLines(db: Db): DraftOrderLine[] {
  if (!hasOptiflowTable(db, "optiflow_order_lines")) return [];
  return db
    .prepare(
      `SELECT o.article_id AS articleId, a.reference, a.nom AS name, o.magasin_id AS storeId, m.code AS storeCode,
              COALESCE(f.nom, '—') AS supplier, o.quantity,
              CASE WHEN typeof(a.prix_achat) IN ('integer', 'real') THEN a.prix_achat END AS unitPrice
       FROM optiflow_order_lines o
       JOIN articles a ON a.id = o.article_id
       JOIN magasins m ON m.id = o.magasin_id
       LEFT JOIN fournisseurs f ON f.id = a.fournisseur_id
       ORDER BY supplier, a.reference, m.code`,
    )
    .all() as DraftOrderLine[];
}

export function articleStoreExists(db: Db, articleId: number, storeId: number): boolean {
  return (
    db.prepare("SELECT 1 FROM articles WHERE id = ?").get(articleId) !== undefined &&
    db.prepare("SELECT 1 FROM magasins WHERE id = ?").get(storeId) !== undefined
  );
}

export function upsertOrderLine(
  db: Db,
  articleId: number,
  storeId: number,
  quantity: number,
  at: string,
  by: string,
): void {
  db.prepare(
    `INSERT INTO optiflow_order_lines (article_id, magasin_id, quantity, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(article_id, magasin_id) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(articleId, storeId, quantity, at, by);
}

export function deleteOrderLine(db: Db, articleId: number, storeId: number): number {
  return db
    .prepare("DELETE FROM optiflow_order_lines WHERE article_id = ? AND magasin_id = ?")
    .run(articleId, storeId).changes;
}

export function clearOrderLines(db: Db): number {
  return db.prepare("DELETE FROM optiflow_order_lines").run().changes;
}
