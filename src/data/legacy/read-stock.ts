import { addDays } from "../../domain/calendar/days.js";
import type { OpenOrderLine, OrderLineHistory } from "../../domain/replenishment/stock-position.js";
import type { Db } from "../open.js";
import { createDayParser, seriesKey } from "./day-cache.js";

/** On-hand stock per article and store (`stocks`), as the legacy base holds it. */
export function readOnHand(db: Db): Map<string, number> {
  const result = new Map<string, number>();
  const rows = db
    .prepare(
      "SELECT article_id, magasin_id, quantite FROM stocks WHERE typeof(quantite) IN ('integer', 'real')",
    )
    .raw(true)
    .iterate() as Iterable<[number, number, number]>;
  for (const [articleId, storeId, quantity] of rows) {
    const key = seriesKey(articleId, storeId);
    result.set(key, (result.get(key) ?? 0) + quantity);
  }
  return result;
}

/** Open purchase-order lines (ENVOYEE, PARTIELLE): ordered minus received, with the expected day. */
export function readOpenOrders(
  db: Db,
  articleId: number | null = null,
): Map<string, OpenOrderLine[]> {
  const toDay = createDayParser();
  const result = new Map<string, OpenOrderLine[]>();
  const rows = db
    .prepare(
      // One pass over the open orders' receptions: the legacy tables have no index on the
      // order id of receptions, so a per-line subquery would scan them once per line.
      `WITH open AS (SELECT id, numero, magasin_id, fournisseur_id, date_livraison_prevue FROM commandes WHERE statut IN ('ENVOYEE', 'PARTIELLE')),
       received AS (
         SELECT r.commande_id, lr.article_id, SUM(lr.quantite) AS quantity
         FROM lignes_reception lr JOIN receptions r ON r.id = lr.reception_id
         WHERE r.commande_id IN (SELECT id FROM open) AND (@article IS NULL OR lr.article_id = @article)
         GROUP BY r.commande_id, lr.article_id)
       SELECT l.article_id, o.magasin_id, o.date_livraison_prevue, l.quantite - COALESCE(rc.quantity, 0) AS remaining,
              o.fournisseur_id, o.numero
       FROM open o JOIN lignes_commande l ON l.commande_id = o.id
       LEFT JOIN received rc ON rc.commande_id = o.id AND rc.article_id = l.article_id
       WHERE @article IS NULL OR l.article_id = @article`,
    )
    .raw(true)
    .iterate({ article: articleId }) as Iterable<
    [number, number, string | null, number, number, string]
  >;
  for (const [articleId, storeId, expected, remaining, supplierId, order] of rows) {
    if (!(remaining > 0)) continue;
    const key = seriesKey(articleId, storeId);
    const lines = result.get(key) ?? [];
    const expectedDay = expected === null ? null : toDay(expected);
    lines.push({ quantity: remaining, expectedDay, supplierId, order });
    result.set(key, lines);
  }
  return result;
}

/**
 * The purchase-order lines that may have been open on a day from `fromIso` on, each with its
 * receptions, per article-store key (the order's store, as readOpenOrders): the orders still open
 * (ENVOYEE, PARTIELLE), whatever their date, and the delivered ones (LIVREE) placed in
 * [fromIso, toIso) — a caller wanting the days from D on passes D less the longest
 * delivery it expects. Drafts and cancelled orders never counted as on order. A delivered order
 * closed on its last reception (a short delivery leaves nothing on order after it, as
 * readOpenOrders sees it), or on its expected day when it has none.
 */
export function readOrderHistory(
  db: Db,
  fromIso: string,
  toIso: string,
): Map<string, OrderLineHistory[]> {
  const toDay = createDayParser();
  const range = { from: fromIso, to: toIso };
  const orders = readOrders(db, range, toDay);
  // Lines by order, then article (no string key built per line: a million at 10,000 articles).
  const lines = new Map<number, Map<number, SentLine>>();
  for (const [order, articleId, quantity] of queryRows<[number, number, number]>(
    db,
    ORDER_LINES,
    range,
  )) {
    const o = orders.get(order);
    if (!o) continue;
    const ofOrder = lines.get(order) ?? new Map<number, SentLine>();
    lines.set(order, ofOrder);
    ofOrder.set(articleId, {
      key: seriesKey(articleId, o.storeId),
      line: {
        orderedDay: o.orderedDay,
        expectedDay: o.expectedDay,
        quantity,
        receipts: [],
        closedDay: null,
      },
    });
  }
  const lastReception = attachReceipts(db, range, toDay, lines);
  const result = new Map<string, OrderLineHistory[]>();
  for (const [order, ofOrder] of lines) {
    const delivered = orders.get(order)?.delivered === true;
    for (const { key, line } of ofOrder.values()) {
      if (delivered)
        line.closedDay = lastReception.get(order) ?? line.expectedDay ?? line.orderedDay;
      const list = result.get(key);
      if (list) list.push(line);
      else result.set(key, [line]);
    }
  }
  return result;
}

/**
 * Each reception line onto its order line, by day; returns each order's last reception day.
 */
function attachReceipts(
  db: Db,
  range: { from: string; to: string },
  toDay: (iso: string) => number | null,
  lines: ReadonlyMap<number, ReadonlyMap<number, SentLine>>,
): Map<number, number> {
  const receptions = new Map<number, { order: number; day: number }>();
  for (const [id, order, date] of queryRows<[number, number, string]>(db, RECEPTIONS, range)) {
    const day = toDay(date);
    if (day !== null) receptions.set(id, { order, day });
  }
  const lastReception = new Map<number, number>();
  for (const [reception, articleId, quantity] of queryRows<[number, number, number]>(
    db,
    RECEPTION_LINES,
    range,
  )) {
    const r = receptions.get(reception);
    if (!r) continue;
    lastReception.set(r.order, Math.max(r.day, lastReception.get(r.order) ?? r.day));
    lines.get(r.order)?.get(articleId)?.line.receipts.push({ day: r.day, quantity });
  }
  return lastReception;
}

interface SentLine {
  key: string;
  line: OrderLineHistory & { receipts: { day: number; quantity: number }[] };
}

/** The orders readOrderHistory reads, as a subquery (@from, @to). */
const ORDERS = `SELECT id FROM commandes c WHERE c.statut IN ('ENVOYEE', 'PARTIELLE')
  OR (c.statut = 'LIVREE' AND c.date_commande >= @from AND c.date_commande < @to)`;
// The line tables have no index on their order or reception: an IN over the few orders lets
// SQLite filter their scan with a Bloom filter, three times faster than a join at a million
// lines (10,000 articles).
const ORDER_LINES = `SELECT lc.commande_id, lc.article_id, SUM(lc.quantite) FROM lignes_commande lc
  WHERE lc.commande_id IN (${ORDERS}) AND typeof(lc.quantite) IN ('integer', 'real')
  GROUP BY lc.commande_id, lc.article_id`;
const RECEPTIONS = `SELECT id, commande_id, date_reception FROM receptions
  WHERE commande_id IN (${ORDERS})`;
const RECEPTION_LINES = `SELECT lr.reception_id, lr.article_id, SUM(lr.quantite) FROM lignes_reception lr
  WHERE lr.reception_id IN (SELECT id FROM receptions WHERE commande_id IN (${ORDERS}))
    AND typeof(lr.quantite) IN ('integer', 'real')
  GROUP BY lr.reception_id, lr.article_id`;

function queryRows<Row extends unknown[]>(
  db: Db,
  sql: string,
  range: { from: string; to: string },
): Iterable<Row> {
  return db.prepare(sql).raw(true).iterate(range) as Iterable<Row>;
}

/** The orders by id: store, whether delivered, order and expected days (parseable ones only). */
function readOrders(
  db: Db,
  range: { from: string; to: string },
  toDay: (iso: string) => number | null,
) {
  const rows = db
    .prepare(
      `SELECT c.id, c.magasin_id, c.statut, c.date_commande, c.date_livraison_prevue
       FROM commandes c WHERE c.id IN (${ORDERS})`,
    )
    .raw(true)
    .iterate(range) as Iterable<[number, number, string, string, string | null]>;
  const orders = new Map<
    number,
    { storeId: number; delivered: boolean; orderedDay: number; expectedDay: number | null }
  >();
  for (const [id, storeId, status, orderedOn, expected] of rows) {
    const orderedDay = toDay(orderedOn);
    if (orderedDay === null) continue;
    const expectedDay = expected === null ? null : toDay(expected);
    orders.set(id, { storeId, delivered: status === "LIVREE", orderedDay, expectedDay });
  }
  return orders;
}

export interface RecentActivity {
  sold30: number;
  revenue30: number;
  /** `chiffre_affaires` of the last 28 days: the Dashboard's actual revenue. */
  revenue28: number;
  averageStock30: number | null;
  lastSaleDay: number | null;
}

/**
 * Sales of the last 30 days and average end-of-day stock over them (both through the date
 * indexes), and, for each series asked, the last day with a sale: one backward step through
 * the (article, store, date) index per series, instead of grouping the whole table.
 */
export function readRecentActivity(
  db: Db,
  from30Iso: string,
  endIso: string,
  series: readonly { articleId: number; storeId: number }[],
): Map<string, RecentActivity> {
  const toDay = createDayParser();
  const result = new Map<string, RecentActivity>();
  const entry = (key: string) => {
    let e = result.get(key);
    if (!e) {
      e = { sold30: 0, revenue30: 0, revenue28: 0, averageStock30: null, lastSaleDay: null };
      result.set(key, e);
    }
    return e;
  };
  const from28Iso = addDays(from30Iso, 2);
  for (const [a, m, q, ca, ca28] of db
    .prepare(
      `SELECT article_id, magasin_id, SUM(quantite), SUM(chiffre_affaires),
              SUM(CASE WHEN date >= ? THEN chiffre_affaires ELSE 0 END)
       FROM ventes WHERE date >= ? AND date < ? GROUP BY 1, 2`,
    )
    .raw(true)
    .iterate(from28Iso, from30Iso, endIso) as Iterable<[number, number, number, number, number]>) {
    const e = entry(seriesKey(a, m));
    e.sold30 = q;
    e.revenue30 = ca;
    e.revenue28 = typeof ca28 === "number" && Number.isFinite(ca28) ? ca28 : 0;
  }
  for (const [a, m, avg] of db
    .prepare(
      "SELECT article_id, magasin_id, AVG(quantite) FROM stocks_historique WHERE date >= ? AND date < ? GROUP BY 1, 2",
    )
    .raw(true)
    .iterate(from30Iso, endIso) as Iterable<[number, number, number]>) {
    entry(seriesKey(a, m)).averageStock30 = avg;
  }
  const lastSale = db
    .prepare(
      "SELECT date FROM ventes WHERE article_id = ? AND magasin_id = ? AND date < ? AND quantite > 0 ORDER BY date DESC LIMIT 1",
    )
    .pluck();
  for (const { articleId, storeId } of series) {
    const last = lastSale.get(articleId, storeId, endIso) as string | undefined;
    if (last !== undefined) entry(seriesKey(articleId, storeId)).lastSaleDay = toDay(last);
  }
  return result;
}

/**
 * End-of-day stock (`stocks_historique`) on each day of [fromIso, toIso], per article-store: one
 * array per series indexed by day, NaN where the day has no row. (Thirteen weeks of 10,000
 * series are a million days: as maps of dates they held over a hundred megabytes.)
 */
export interface StockHistory {
  firstDay: number;
  length: number;
  series: Map<string, Float64Array>;
}

export function readStockHistory(db: Db, fromIso: string, toIso: string): StockHistory {
  const toDay = createDayParser();
  const firstDay = toDay(fromIso) ?? 0;
  const length = Math.max(0, (toDay(toIso) ?? firstDay - 1) - firstDay + 1);
  const series = new Map<string, Float64Array>();
  const rows = db
    .prepare(
      "SELECT date, article_id, magasin_id, quantite FROM stocks_historique WHERE date >= ? AND date <= ? AND typeof(quantite) IN ('integer', 'real')",
    )
    .raw(true)
    .iterate(fromIso, toIso) as Iterable<[string, number, number, number]>;
  for (const [date, articleId, storeId, quantity] of rows) {
    const day = toDay(date);
    if (day === null || day < firstDay || day >= firstDay + length) continue;
    const key = seriesKey(articleId, storeId);
    let days = series.get(key);
    if (!days) {
      days = new Float64Array(length).fill(Number.NaN);
      series.set(key, days);
    }
    days[day - firstDay] = quantity;
  }
  return { firstDay, length, series };
}

/** A series' end-of-day stock on `day`; undefined when no row gives it. */
export function stockOn(history: StockHistory, key: string, day: number): number | undefined {
  const value = history.series.get(key)?.[day - history.firstDay];
  return value === undefined || Number.isNaN(value) ? undefined : value;
}
