import { addDays } from "../../domain/calendar/days.js";
import type { OpenOrderLine } from "../../domain/replenishment/stock-position.js";
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
      `WITH open AS (SELECT id, magasin_id, date_livraison_prevue FROM commandes WHERE statut IN ('ENVOYEE', 'PARTIELLE')),
       received AS (
         SELECT r.commande_id, lr.article_id, SUM(lr.quantite) AS quantity
         FROM lignes_reception lr JOIN receptions r ON r.id = lr.reception_id
         WHERE r.commande_id IN (SELECT id FROM open) AND (@article IS NULL OR lr.article_id = @article)
         GROUP BY r.commande_id, lr.article_id)
       SELECT l.article_id, o.magasin_id, o.date_livraison_prevue, l.quantite - COALESCE(rc.quantity, 0) AS remaining
       FROM open o JOIN lignes_commande l ON l.commande_id = o.id
       LEFT JOIN received rc ON rc.commande_id = o.id AND rc.article_id = l.article_id
       WHERE @article IS NULL OR l.article_id = @article`,
    )
    .raw(true)
    .iterate({ article: articleId }) as Iterable<[number, number, string | null, number]>;
  for (const [articleId, storeId, expected, remaining] of rows) {
    if (!(remaining > 0)) continue;
    const key = seriesKey(articleId, storeId);
    const lines = result.get(key) ?? [];
    lines.push({ quantity: remaining, expectedDay: expected === null ? null : toDay(expected) });
    result.set(key, lines);
  }
  return result;
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
