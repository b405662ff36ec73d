import type { DeliveryRecord } from "../../domain/replenishment/observed-lead-time.js";
import type { Db } from "../open.js";
import { createDayParser } from "./day-cache.js";

/**
 * Past purchase orders and their receptions since `fromIso`, per order and per order line: what
 * observed lead times are computed from. The legacy tables index neither the order id of
 * order lines nor the reception id of reception lines: a join from the orders made SQLite
 * build an automatic index over a million lines on every run (3.7 s of a 10,000-article
 * night, measured). The line tables are scanned once instead, each line finding its order or
 * reception by primary key (CROSS JOIN keeps that order), the headers read on their own.
 */
export function readDeliveries(
  db: Db,
  fromIso: string,
): { orders: DeliveryRecord[]; lines: DeliveryRecord[] } {
  const toDay = createDayParser();
  const firstReception = new Map<number, number>();
  const headers = db
    .prepare(
      "SELECT commande_id, date_reception FROM receptions WHERE commande_id IS NOT NULL AND date_reception >= ?",
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, string]>;
  for (const [order, date] of headers) {
    const day = toDay(date);
    if (day === null) continue;
    const first = firstReception.get(order);
    if (first === undefined || day < first) firstReception.set(order, day);
  }
  const lineReception = new Map<string, { day: number; quantity: number }>();
  const received = db
    .prepare(
      `SELECT r.commande_id, r.date_reception, lr.article_id, lr.quantite
       FROM lignes_reception lr CROSS JOIN receptions r ON r.id = lr.reception_id
       WHERE r.commande_id IS NOT NULL AND r.date_reception >= ? AND lr.article_id IS NOT NULL`,
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, string, number, number | null]>;
  for (const [order, date, article, quantity] of received) {
    const day = toDay(date);
    if (day === null) continue;
    const key = `${order}:${article}`;
    const seen = lineReception.get(key);
    const q = typeof quantity === "number" && Number.isFinite(quantity) ? quantity : 0;
    lineReception.set(
      key,
      seen ? { day: Math.min(seen.day, day), quantity: seen.quantity + q } : { day, quantity: q },
    );
  }
  const orders: DeliveryRecord[] = [];
  const ordersById = new Map<number, DeliveryRecord>();
  const rows = db
    .prepare(
      "SELECT id, fournisseur_id, date_commande, statut FROM commandes WHERE date_commande >= ? ORDER BY id",
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, number, string, string]>;
  for (const [order, supplierId, date, status] of rows) {
    const orderedOn = toDay(date);
    if (orderedOn === null) continue;
    const record = {
      supplierId,
      articleId: null,
      orderedOn,
      receivedOn: firstReception.get(order) ?? null,
      status,
    };
    orders.push(record);
    ordersById.set(order, record);
  }
  const byOrder = new Map<number, DeliveryRecord[]>();
  const lineRows = db
    .prepare(
      `SELECT lc.commande_id, lc.article_id, lc.quantite
       FROM lignes_commande lc CROSS JOIN commandes c ON c.id = lc.commande_id
       WHERE c.date_commande >= ? AND lc.article_id IS NOT NULL`,
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, number, number | null]>;
  for (const [order, article, quantity] of lineRows) {
    const header = ordersById.get(order);
    if (!header) continue;
    const arrived = lineReception.get(`${order}:${article}`);
    const list = byOrder.get(order) ?? [];
    list.push({
      supplierId: header.supplierId,
      articleId: article,
      orderedOn: header.orderedOn,
      receivedOn: arrived?.day ?? null,
      status: header.status,
      ordered: typeof quantity === "number" ? quantity : 0,
      received: arrived?.quantity ?? 0,
    });
    byOrder.set(order, list);
  }
  // Order by order, as the headers come: the statistics take them in that order.
  const lines = [...ordersById.keys()].flatMap((id) => byOrder.get(id) ?? []);
  return { orders, lines };
}
