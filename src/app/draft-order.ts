import type { Db } from "../data/open.js";
import { readAlerts } from "../data/optiflow/published-results.js";
import {
  listOrderLines,
  orderRules,
  supplierContacts,
  upsertOrderLine,
} from "../data/optiflow/user-input-repository.js";
import { InputError } from "../domain/input-error.js";
import {
  checkOrderQuantity,
  type PurchaseOrder,
  purchaseOrders,
} from "../domain/replenishment/purchase-order.js";

export type FillLevel = "CRITIQUE" | "ATTENTION";

export interface FillRequest {
  /** CRITIQUE: the critical suggestions; ATTENTION: critical and warning ones. */
  level: FillLevel;
  storeId?: number | null;
  supplierId?: number | null;
}

/**
 * "Add every suggestion" (issue 14): the published suggestions of the chosen levels go to the
 * draft order in one pass. A line already in the draft keeps its quantity (a buyer may have
 * edited it); the others take the suggested quantity, which is a whole number of packs at or
 * above the minimum by construction. Runs inside the caller's audited transaction.
 */
export function fillDraftOrder(
  db: Db,
  runId: number,
  request: FillRequest,
  at: string,
  by: string,
): { added: number; kept: number; skipped: number } {
  const levels = request.level === "ATTENTION" ? ["CRITIQUE", "ATTENTION"] : ["CRITIQUE"];
  const existing = new Set(listOrderLines(db).map((l) => `${l.articleId}:${l.storeId}`));
  let added = 0;
  let kept = 0;
  let skipped = 0;
  for (const level of levels) {
    for (const alert of readAlerts(db, runId, {
      level,
      ...(request.storeId ? { storeId: request.storeId } : {}),
      ...(request.supplierId ? { supplierId: request.supplierId } : {}),
    })) {
      const quantity = alert.suggestedQty ?? 0;
      if (!(quantity > 0)) {
        skipped++;
        continue;
      }
      if (existing.has(`${alert.articleId}:${alert.storeId}`)) {
        kept++;
        continue;
      }
      upsertOrderLine(db, alert.articleId, alert.storeId, quantity, at, by);
      added++;
    }
  }
  return { added, kept, skipped };
}

/** A quantity typed by a buyer, refused unless the supplier accepts it (never changed silently). */
export function checkDraftLine(db: Db, articleId: number, quantity: number): void {
  const rules = orderRules(db, articleId);
  if (!rules)
    throw new InputError("articleId", `no article with id ${articleId}`, "unknown_article");
  checkOrderQuantity(quantity, rules.packSize, rules.minimumOrder);
}

/** The draft order as purchase orders, one per supplier and store, dated `date`. */
export function draftPurchaseOrders(db: Db, date: string): PurchaseOrder[] {
  return purchaseOrders(listOrderLines(db), supplierContacts(db), date);
}
