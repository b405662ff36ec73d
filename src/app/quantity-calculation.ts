import { seriesKey } from "../data/legacy/day-cache.js";
import { readOpenOrders } from "../data/legacy/read-stock.js";
import type { Db } from "../data/open.js";
import { type Publication, readAlerts, readForecasts } from "../data/optiflow/published-results.js";
import { dayFromIso } from "../domain/calendar/days.js";
import { OrderInputError, suggestOrderQuantity } from "../domain/replenishment/order-quantity.js";
import { currentStock, type OpenOrderLine } from "../domain/replenishment/stock-position.js";

/** Open purchase-order lines per "article:store", for one article. */
export type OpenOrdersSource = (articleId: number) => ReadonlyMap<string, readonly OpenOrderLine[]>;

export interface QuantityCalculation {
  articleId: number;
  reference: string;
  name: string;
  storeId: number;
  storeCode: string;
  targetDate: string;
  marginPct: number;
  forecastToTarget: number;
  onHand: number;
  openOrdersByTarget: number;
  stockActuel: number;
  raw: number;
  packSize: number;
  minimumOrder: number;
  quantity: number;
  /** The SPEC §4 formula with this article's numbers, as shown to the user. */
  formula: string;
}

/**
 * The quantity calculator of the Alerts page and of `optiflow alerts calc`: SPEC §4 on the
 * published forecasts, for a target date and margin the user chooses.
 */
export function calculateQuantities(
  db: Db,
  publication: Publication,
  articleId: number,
  targetDate: string,
  marginPct: number,
  countOpenOrders: boolean,
  storeId: number | null = null,
  openOrders: OpenOrdersSource = (id) => readOpenOrders(db, id),
): QuantityCalculation[] {
  let target: number;
  try {
    target = dayFromIso(targetDate);
  } catch {
    throw new OrderInputError(
      "targetDate",
      `expected a date YYYY-MM-DD, got "${targetDate}"`,
      "not_a_date",
    );
  }
  const today = dayFromIso(publication.today);
  const alerts = readAlerts(db, publication.runId, {
    articleId,
    ...(storeId === null ? {} : { storeId }),
  });
  const orders = openOrders(articleId);
  return alerts.map((alert) => {
    const forecast = readForecasts(db, publication.runId, articleId, alert.storeId).map(
      (f) => f.forecast,
    );
    if (forecast.length === 0)
      throw new OrderInputError(
        "article",
        `${alert.reference} has no forecast in the published run`,
        "unknown_article",
      );
    const openOrders = orders.get(seriesKey(articleId, alert.storeId)) ?? [];
    const stock = currentStock(alert.onHand, openOrders, target, countOpenOrders);
    const result = suggestOrderQuantity({
      forecast,
      stock,
      targetOffset: target - today,
      marginPct,
      packSize: alert.packSize,
      minimumOrder: alert.minimumOrder,
    });
    const f = (v: number) => (Math.round(v * 100) / 100).toLocaleString("fr-FR");
    return {
      articleId,
      reference: alert.reference,
      name: alert.name,
      storeId: alert.storeId,
      storeCode: alert.storeCode,
      targetDate,
      marginPct,
      forecastToTarget: result.forecastToTarget,
      onHand: alert.onHand,
      openOrdersByTarget: stock - alert.onHand,
      stockActuel: stock,
      raw: result.raw,
      packSize: alert.packSize,
      minimumOrder: alert.minimumOrder,
      quantity: result.quantity,
      formula: `Q = max(0, (Σ prévisions du ${publication.today} au ${targetDate} = ${f(result.forecastToTarget)} − stock actuel ${f(stock)}) × (1 + ${f(marginPct)}/100)) = ${f(Math.max(0, result.raw))} → arrondi au colisage de ${f(alert.packSize)}${alert.minimumOrder > 0 ? `, minimum ${f(alert.minimumOrder)}` : ""} → ${f(result.quantity)}`,
    };
  });
}
