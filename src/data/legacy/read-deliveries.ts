import type { DeliveryRecord } from "../../domain/replenishment/observed-lead-time.js";
import type { Db } from "../open.js";
import { createDayParser } from "./day-cache.js";

/** A line's quantity as a number, 0 when it is not one (NULL, text): what the statistics use. */
const NUMBER_OR_ZERO = "CASE WHEN typeof(quantite) IN ('integer', 'real') THEN quantite ELSE 0 END";

/**
 * The "article:quantity,…" list SQLite packs per order or reception: a few thousand rows cross
 * into JavaScript instead of hundreds of thousands of lines. SQLite writes a real with 15
 * significant digits, ample for a quantity.
 */
function forEachPair(packed: string, onPair: (article: number, quantity: number) => void): void {
  let start = 0;
  while (start < packed.length) {
    let end = packed.indexOf(",", start);
    if (end < 0) end = packed.length;
    const colon = packed.indexOf(":", start);
    const quantity = Number(packed.slice(colon + 1, end));
    onPair(Number(packed.slice(start, colon)), Number.isFinite(quantity) ? quantity : 0);
    start = end + 1;
  }
}

interface Arrival {
  day: number;
  quantity: number;
}

/**
 * Past purchase orders and their receptions since `fromIso`, per order and per order line: what
 * observed lead times are computed from. The legacy tables index neither the order id of order
 * lines nor the reception id of reception lines: a join from the orders made SQLite build an
 * automatic index over every order line on every run. The headers are read first; the line
 * tables are scanned once, each line kept when its header is in the period (an IN list SQLite
 * filters with a Bloom filter, cheaper than a primary-key lookup per line), and packed per order
 * or reception.
 */
export function readDeliveries(
  db: Db,
  fromIso: string,
): { orders: DeliveryRecord[]; lines: DeliveryRecord[] } {
  const lineArrivals = readArrivals(db, fromIso);
  const orders: DeliveryRecord[] = [];
  const ordersById = new Map<number, DeliveryRecord>();
  const toDay = createDayParser();
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
      receivedOn: lineArrivals.first.get(order) ?? null,
      status,
    };
    orders.push(record);
    ordersById.set(order, record);
  }
  const byOrder = new Map<number, DeliveryRecord[]>();
  const lineRows = db
    .prepare(
      `SELECT commande_id, group_concat(article_id || ':' || ${NUMBER_OR_ZERO}) FROM lignes_commande
       WHERE commande_id IN (SELECT id FROM commandes WHERE date_commande >= ?) AND typeof(article_id) = 'integer'
       GROUP BY commande_id`,
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, string]>;
  for (const [order, packed] of lineRows) {
    const header = ordersById.get(order);
    if (!header) continue;
    const list: DeliveryRecord[] = [];
    const arrivals = lineArrivals.byLine.get(order);
    forEachPair(packed, (article, quantity) => {
      const arrived = arrivals?.get(article);
      list.push({
        supplierId: header.supplierId,
        articleId: article,
        orderedOn: header.orderedOn,
        receivedOn: arrived?.day ?? null,
        status: header.status,
        ordered: quantity,
        received: arrived?.quantity ?? 0,
      });
    });
    byOrder.set(order, list);
  }
  // Order by order, as the headers come: the statistics take them in that order.
  const lines = [...ordersById.keys()].flatMap((id) => byOrder.get(id) ?? []);
  return { orders, lines };
}

/** Per order, its first reception day; per order and article, the first day and the units received. */
function readArrivals(db: Db, fromIso: string) {
  const toDay = createDayParser();
  const first = new Map<number, number>();
  const receptions = new Map<number, { order: number; day: number }>();
  const headers = db
    .prepare(
      "SELECT id, commande_id, date_reception FROM receptions WHERE commande_id IS NOT NULL AND date_reception >= ?",
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, number, string]>;
  for (const [id, order, date] of headers) {
    const day = toDay(date);
    if (day === null) continue;
    receptions.set(id, { order, day });
    const seen = first.get(order);
    if (seen === undefined || day < seen) first.set(order, day);
  }
  const byLine = new Map<number, Map<number, Arrival>>();
  const lines = db
    .prepare(
      `SELECT reception_id, group_concat(article_id || ':' || ${NUMBER_OR_ZERO}) FROM lignes_reception
       WHERE reception_id IN (SELECT id FROM receptions WHERE commande_id IS NOT NULL AND date_reception >= ?)
         AND typeof(article_id) = 'integer'
       GROUP BY reception_id`,
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, string]>;
  for (const [receptionId, packed] of lines) {
    const reception = receptions.get(receptionId);
    if (!reception) continue;
    let articles = byLine.get(reception.order);
    if (!articles) {
      articles = new Map();
      byLine.set(reception.order, articles);
    }
    const onOrder = articles;
    forEachPair(packed, (article, quantity) => {
      const seen = onOrder.get(article);
      if (seen) {
        seen.day = Math.min(seen.day, reception.day);
        seen.quantity += quantity;
      } else onOrder.set(article, { day: reception.day, quantity });
    });
  }
  return { first, byLine };
}
