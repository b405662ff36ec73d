import type { Db } from "../open.js";
import { createDayParser, seriesKey } from "./day-cache.js";

/**
 * The real purchase orders of a past period, as the replay of the ordering policy needs them
 * (issue 15): how many orders and lines the retailer placed, what arrived during the period
 * from orders placed before it, and how long each supplier really took on the period's orders.
 * Drafts and cancelled orders were never sent: they count for nothing.
 */
export interface PeriodOrders {
  /** Order lines placed in the period, per article-store key. */
  linesBySeries: Map<string, number>;
  /** Distinct orders placed in the period, per store id. */
  ordersByStore: Map<number, number>;
  /** Units received in the period on orders placed before it: key → day number → units. */
  arrivalsBefore: Map<string, Map<number, number>>;
  /** Units received in the period on any order (what perished is counted from them). */
  receivedInPeriod: Map<string, Map<number, number>>;
  /** Per supplier, the period's received orders: (order day, days until first reception). */
  leadTimesBySupplier: Map<number, { orderedOn: number; days: number }[]>;
}

const SENT = "c.statut NOT IN ('BROUILLON', 'ANNULEE')";

export function readPeriodOrders(db: Db, fromIso: string, toIso: string): PeriodOrders {
  const toDay = createDayParser();
  const linesBySeries = new Map<string, number>();
  const ordersByStore = new Map<number, number>();
  const lines = db
    .prepare(
      `SELECT c.id, c.magasin_id, lc.article_id FROM commandes c
       JOIN lignes_commande lc ON lc.commande_id = c.id
       WHERE c.date_commande >= ? AND c.date_commande < ? AND ${SENT}`,
    )
    .raw(true)
    .iterate(fromIso, toIso) as Iterable<[number, number, number]>;
  const seenOrders = new Set<number>();
  for (const [order, storeId, articleId] of lines) {
    const key = seriesKey(articleId, storeId);
    linesBySeries.set(key, (linesBySeries.get(key) ?? 0) + 1);
    if (seenOrders.has(order)) continue;
    seenOrders.add(order);
    ordersByStore.set(storeId, (ordersByStore.get(storeId) ?? 0) + 1);
  }
  const arrivalsBefore = new Map<string, Map<number, number>>();
  const receivedInPeriod = new Map<string, Map<number, number>>();
  const arrivals = db
    .prepare(
      `SELECT lr.article_id, r.magasin_id, r.date_reception, lr.quantite, c.date_commande < ?
       FROM receptions r
       JOIN lignes_reception lr ON lr.reception_id = r.id JOIN commandes c ON c.id = r.commande_id
       WHERE r.date_reception >= ? AND r.date_reception < ? AND ${SENT}
         AND typeof(lr.quantite) IN ('integer', 'real')`,
    )
    .raw(true)
    .iterate(fromIso, fromIso, toIso) as Iterable<[number, number, string, number, number]>;
  for (const [articleId, storeId, date, quantity, orderedBefore] of arrivals) {
    const day = toDay(date);
    if (day === null || !(quantity > 0)) continue;
    const key = seriesKey(articleId, storeId);
    addUnits(receivedInPeriod, key, day, quantity);
    if (orderedBefore === 1) addUnits(arrivalsBefore, key, day, quantity);
  }
  const leadTimesBySupplier = new Map<number, { orderedOn: number; days: number }[]>();
  const received = db
    .prepare(
      `SELECT c.fournisseur_id, c.date_commande, MIN(r.date_reception) FROM commandes c
       JOIN receptions r ON r.commande_id = c.id
       WHERE c.date_commande >= ? AND c.date_commande < ? AND ${SENT}
       GROUP BY c.id ORDER BY c.date_commande`,
    )
    .raw(true)
    .iterate(fromIso, toIso) as Iterable<[number, string, string]>;
  for (const [supplierId, ordered, firstReception] of received) {
    const orderedOn = toDay(ordered);
    const receivedOn = toDay(firstReception);
    if (orderedOn === null || receivedOn === null || receivedOn < orderedOn) continue;
    const list = leadTimesBySupplier.get(supplierId) ?? [];
    list.push({ orderedOn, days: receivedOn - orderedOn });
    leadTimesBySupplier.set(supplierId, list);
  }
  return { linesBySeries, ordersByStore, arrivalsBefore, receivedInPeriod, leadTimesBySupplier };
}

function addUnits(into: Map<string, Map<number, number>>, key: string, day: number, units: number) {
  const days = into.get(key) ?? new Map<number, number>();
  days.set(day, (days.get(day) ?? 0) + units);
  into.set(key, days);
}
