import { seriesKey } from "../data/legacy/day-cache.js";
import { readArticles } from "../data/legacy/read-catalog.js";
import { readOnHand, readOpenOrders } from "../data/legacy/read-stock.js";
import type { Db } from "../data/open.js";
import {
  type Publication,
  readAlerts,
  readAllForecasts,
} from "../data/optiflow/published-results.js";
import { dayFromIso } from "../domain/calendar/days.js";
import { type AlertLevel, assessAlert } from "../domain/replenishment/alert-level.js";
import { leadTimeDays } from "../domain/replenishment/lead-time.js";
import { currentStock } from "../domain/replenishment/stock-position.js";

export interface AlertRecalculation {
  counts: Record<AlertLevel, number>;
  changed: {
    reference: string;
    storeCode: string;
    published: string;
    now: AlertLevel;
    stock: number;
  }[];
}

/**
 * `optiflow ml calc-alerts`: the alert levels again, from the published forecasts and the stock
 * as it is in the legacy base right now (deliveries and sales since the batch). Writes nothing.
 */
export function recalculateAlerts(
  db: Db,
  publication: Publication,
  countOpenOrders: boolean,
): AlertRecalculation {
  const today = dayFromIso(publication.today);
  const forecasts = readAllForecasts(db, publication.runId);
  const onHand = readOnHand(db);
  const orders = readOpenOrders(db);
  const articles = new Map(readArticles(db).map((a) => [a.id, a]));
  const counts: Record<AlertLevel, number> = {
    CRITIQUE: 0,
    ATTENTION: 0,
    OK: 0,
    SANS_PREVISION: 0,
  };
  const changed: AlertRecalculation["changed"] = [];
  for (const alert of readAlerts(db, publication.runId)) {
    const article = articles.get(alert.articleId);
    const key = seriesKey(alert.articleId, alert.storeId);
    const leadTime = leadTimeDays(
      article?.articleLeadTime ?? null,
      article?.supplierLeadTime ?? null,
    );
    const stock = currentStock(
      onHand.get(key) ?? 0,
      orders.get(key) ?? [],
      today + leadTime - 1,
      countOpenOrders,
    );
    const level = assessAlert(stock, forecasts.get(key) ?? null, leadTime).level;
    counts[level]++;
    if (level !== alert.level)
      changed.push({
        reference: alert.reference,
        storeCode: alert.storeCode,
        published: alert.level,
        now: level,
        stock,
      });
  }
  return { counts, changed };
}
