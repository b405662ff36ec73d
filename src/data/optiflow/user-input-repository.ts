import type { OrderableLine, SupplierContact } from "../../domain/replenishment/purchase-order.js";
import type { DeclaredEventInput } from "../../domain/user-input/declared-event.js";
import type { FeedbackInput } from "../../domain/user-input/forecast-feedback.js";
import type { Db } from "../open.js";
import { hasOptiflowTable } from "./results-repository.js";

/** What users declare in the pages: events that change the next forecasts, and feedback. */
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

const EVENT_COLUMNS = `id, name, type, date_debut AS start, date_fin AS end, magasin_id AS storeId, categorie_id AS categoryId,
       article_id AS articleId, impact_pct AS impactPct, created_at AS createdAt, created_by AS createdBy`;

export function listEvents(db: Db): DeclaredEvent[] {
  return db
    .prepare(`SELECT ${EVENT_COLUMNS} FROM optiflow_events ORDER BY date_debut DESC, id DESC`)
    .all() as DeclaredEvent[];
}

export function getEvent(db: Db, id: number): DeclaredEvent | null {
  return (
    (db.prepare(`SELECT ${EVENT_COLUMNS} FROM optiflow_events WHERE id = ?`).get(id) as
      | DeclaredEvent
      | undefined) ?? null
  );
}

/** Replaces an event's fields; its creation stamp stays. Null when there is no such event. */
export function updateEvent(db: Db, id: number, event: DeclaredEventInput): DeclaredEvent | null {
  const changed = db
    .prepare(
      `UPDATE optiflow_events SET name = ?, type = ?, date_debut = ?, date_fin = ?, magasin_id = ?, categorie_id = ?,
              article_id = ?, impact_pct = ? WHERE id = ?`,
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
      id,
    ).changes;
  return changed === 0 ? null : getEvent(db, id);
}

export function deleteEvent(db: Db, id: number): boolean {
  return db.prepare("DELETE FROM optiflow_events WHERE id = ?").run(id).changes > 0;
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

export interface FeedbackRecord extends FeedbackInput {
  id: number;
  createdAt: string;
  createdBy: string;
  appliedRunId: number | null;
}

const FEEDBACK_COLUMNS = `id, article_id AS articleId, magasin_id AS storeId, date, direction, reason, comment,
       created_at AS createdAt, created_by AS createdBy, applied_run_id AS appliedRunId`;

export function listFeedback(db: Db): FeedbackRecord[] {
  return db
    .prepare(`SELECT ${FEEDBACK_COLUMNS} FROM optiflow_feedback ORDER BY id DESC`)
    .all() as FeedbackRecord[];
}

export function getFeedback(db: Db, id: number): FeedbackRecord | null {
  return (
    (db.prepare(`SELECT ${FEEDBACK_COLUMNS} FROM optiflow_feedback WHERE id = ?`).get(id) as
      | FeedbackRecord
      | undefined) ?? null
  );
}

/**
 * Replaces a feedback's fields. It becomes pending again (`applied_run_id` cleared): the next
 * batch takes the corrected version into account.
 */
export function updateFeedback(db: Db, id: number, feedback: FeedbackInput): FeedbackRecord | null {
  const changed = db
    .prepare(
      `UPDATE optiflow_feedback SET article_id = ?, magasin_id = ?, date = ?, direction = ?, reason = ?, comment = ?,
              applied_run_id = NULL WHERE id = ?`,
    )
    .run(
      feedback.articleId,
      feedback.storeId,
      feedback.date,
      feedback.direction,
      feedback.reason,
      feedback.comment,
      id,
    ).changes;
  return changed === 0 ? null : getFeedback(db, id);
}

export function deleteFeedback(db: Db, id: number): boolean {
  return db.prepare("DELETE FROM optiflow_feedback WHERE id = ?").run(id).changes > 0;
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

/** A line of the shared draft order, with what it takes to order it and price it. */
export type DraftOrderLine = OrderableLine & { updatedAt: string; updatedBy: string };

export function listOrderLines(db: Db): DraftOrderLine[] {
  if (!hasOptiflowTable(db, "optiflow_order_lines")) return [];
  return db
    .prepare(
      `SELECT o.article_id AS articleId, a.reference, a.nom AS name, a.unite AS unit, o.magasin_id AS storeId,
              m.code AS storeCode, m.nom AS storeName, f.id AS supplierId, COALESCE(f.nom, '—') AS supplier, o.quantity,
              CASE WHEN typeof(a.colisage) IN ('integer', 'real') AND a.colisage > 0 THEN a.colisage ELSE 1 END AS packSize,
              CASE WHEN typeof(a.minimum_commande) IN ('integer', 'real') THEN a.minimum_commande ELSE 0 END AS minimumOrder,
              CASE WHEN typeof(a.prix_achat) IN ('integer', 'real') THEN a.prix_achat END AS unitPrice,
              o.updated_at AS updatedAt, o.updated_by AS updatedBy
       FROM optiflow_order_lines o
       JOIN articles a ON a.id = o.article_id
       JOIN magasins m ON m.id = o.magasin_id
       LEFT JOIN fournisseurs f ON f.id = a.fournisseur_id
       ORDER BY supplier, a.reference, m.code`,
    )
    .all() as DraftOrderLine[];
}

/** Suppliers' contact and free-delivery threshold, for the purchase orders. */
export function supplierContacts(db: Db): Map<number, SupplierContact> {
  const rows = db
    .prepare(
      `SELECT id, nom AS name, email, telephone AS phone,
              CASE WHEN typeof(franco_eur) IN ('integer', 'real') AND franco_eur > 0 THEN franco_eur END AS franco
       FROM fournisseurs`,
    )
    .all() as SupplierContact[];
  return new Map(rows.map((r) => [r.id as number, r]));
}

/** The pack size and minimum order of an article, as the supplier accepts it. */
export function orderRules(
  db: Db,
  articleId: number,
): { packSize: number; minimumOrder: number } | null {
  return (
    (db
      .prepare(
        `SELECT CASE WHEN typeof(colisage) IN ('integer', 'real') AND colisage > 0 THEN colisage ELSE 1 END AS packSize,
                CASE WHEN typeof(minimum_commande) IN ('integer', 'real') THEN minimum_commande ELSE 0 END AS minimumOrder
         FROM articles WHERE id = ?`,
      )
      .get(articleId) as { packSize: number; minimumOrder: number } | undefined) ?? null
  );
}

export function articleStoreExists(db: Db, articleId: number, storeId: number): boolean {
  return articleExists(db, articleId) && storeExists(db, storeId);
}

export function articleExists(db: Db, articleId: number): boolean {
  return db.prepare("SELECT 1 FROM articles WHERE id = ?").get(articleId) !== undefined;
}

export function storeExists(db: Db, storeId: number): boolean {
  return db.prepare("SELECT 1 FROM magasins WHERE id = ?").get(storeId) !== undefined;
}

export function categoryExists(db: Db, categoryId: number): boolean {
  return db.prepare("SELECT 1 FROM categories WHERE id = ?").get(categoryId) !== undefined;
}

export function supplierExists(db: Db, supplierId: number): boolean {
  return db.prepare("SELECT 1 FROM fournisseurs WHERE id = ?").get(supplierId) !== undefined;
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
