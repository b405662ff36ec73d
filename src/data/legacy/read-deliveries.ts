import type { DeliveryRecord } from "../../domain/replenishment/observed-lead-time.js";
import type { Db } from "../open.js";
import { createDayParser } from "./day-cache.js";

/**
 * Past purchase orders and their receptions since `fromIso`, per order and per order line: what
 * observed lead times are computed from. The legacy tables have no index on the order id of
 * receptions, so receptions are read once and joined in memory, not by a subquery per order.
 */
export function readDeliveries(
  db: Db,
  fromIso: string,
): { orders: DeliveryRecord[]; lines: DeliveryRecord[] } {
  const toDay = createDayParser();
  const firstReception = new Map<number, number>();
  const lineReception = new Map<string, { day: number; quantity: number }>();
  const receptions = db
    .prepare(
      `SELECT r.commande_id, r.date_reception, lr.article_id, lr.quantite
       FROM receptions r LEFT JOIN lignes_reception lr ON lr.reception_id = r.id
       WHERE r.commande_id IS NOT NULL AND r.date_reception >= ?`,
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, string, number | null, number | null]>;
  for (const [order, date, article, quantity] of receptions) {
    const day = toDay(date);
    if (day === null) continue;
    const first = firstReception.get(order);
    if (first === undefined || day < first) firstReception.set(order, day);
    if (article === null) continue;
    const key = `${order}:${article}`;
    const seen = lineReception.get(key);
    const q = typeof quantity === "number" && Number.isFinite(quantity) ? quantity : 0;
    lineReception.set(
      key,
      seen ? { day: Math.min(seen.day, day), quantity: seen.quantity + q } : { day, quantity: q },
    );
  }
  const orders: DeliveryRecord[] = [];
  const lines: DeliveryRecord[] = [];
  const rows = db
    .prepare(
      `SELECT c.id, c.fournisseur_id, c.date_commande, c.statut, lc.article_id, lc.quantite
       FROM commandes c LEFT JOIN lignes_commande lc ON lc.commande_id = c.id
       WHERE c.date_commande >= ? ORDER BY c.id`,
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, number, string, string, number | null, number | null]>;
  let last = -1;
  for (const [order, supplierId, date, status, article, quantity] of rows) {
    const orderedOn = toDay(date);
    if (orderedOn === null) continue;
    if (order !== last) {
      orders.push({
        supplierId,
        articleId: null,
        orderedOn,
        receivedOn: firstReception.get(order) ?? null,
        status,
      });
      last = order;
    }
    if (article === null) continue;
    const received = lineReception.get(`${order}:${article}`);
    lines.push({
      supplierId,
      articleId: article,
      orderedOn,
      receivedOn: received?.day ?? null,
      status,
      ordered: typeof quantity === "number" ? quantity : 0,
      received: received?.quantity ?? 0,
    });
  }
  return { orders, lines };
}
