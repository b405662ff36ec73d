import { readOnHand, readOpenOrders } from "../../data/legacy/read-stock.js";
import { type AlertRow, insertAlerts } from "../../data/optiflow/results-repository.js";
import { isoFromDay } from "../../domain/calendar/days.js";
import { assessAlert } from "../../domain/replenishment/alert-level.js";
import { leadTimeDays } from "../../domain/replenishment/lead-time.js";
import { currentStock, type OpenOrderLine } from "../../domain/replenishment/stock-position.js";
import { salesLostBeforeDelivery, stockoutDay } from "../../domain/replenishment/stockout-day.js";
import type { BatchStep } from "../batch-context.js";

/** Step 3: the alert level of every active article × store (SPEC §4). */
export const alertsStep: BatchStep = {
  id: "3",
  name: "calcul des alertes",
  needs: ["2"],
  run(ctx) {
    ctx.onHand = readOnHand(ctx.db);
    ctx.openOrders = readOpenOrders(ctx.db);
    const rows: AlertRow[] = [];
    const counts: Record<string, number> = { CRITIQUE: 0, ATTENTION: 0, OK: 0, SANS_PREVISION: 0 };
    for (const s of ctx.series) {
      const leadTime = leadTimeDays(s.article.articleLeadTime, s.article.supplierLeadTime);
      const onHand = ctx.onHand.get(s.key) ?? 0;
      const orders = ctx.openOrders.get(s.key) ?? [];
      // Orders due before the end of the lead time cover the sales of that period.
      const stock = currentStock(
        onHand,
        orders,
        ctx.today + leadTime - 1,
        ctx.settings.countOpenOrders,
      );
      const onOrder = orders.reduce((n, o) => n + o.quantity, 0);
      const forecast = ctx.forecasts.get(s.key)?.mean ?? null;
      const assessment = assessAlert(stock, forecast, leadTime);
      const { countOpenOrders } = ctx.settings;
      const salesLost = forecast
        ? salesLostBeforeDelivery(forecast, onHand, orders, ctx.today, countOpenOrders, leadTime)
        : 0;
      ctx.alerts.set(s.key, { ...assessment, stock, onHand, onOrder, leadTime, salesLost });
      counts[assessment.level] = (counts[assessment.level] ?? 0) + 1;
      rows.push({
        articleId: s.article.id,
        storeId: s.store.id,
        level: assessment.level,
        onHand,
        onOrder,
        stockActuel: stock,
        leadTime,
        salesWithinLeadTime: assessment.salesWithinLeadTime,
        remaining: assessment.remaining,
        threeDaySales: assessment.threeDaySales,
        marginPct: ctx.settings.marginPct,
        ...nextDelivery(orders),
        daysToStockout:
          forecast &&
          stockoutDay(forecast, onHand, orders, ctx.today, ctx.settings.countOpenOrders),
      });
    }
    insertAlerts(ctx.db, ctx.runId, rows);
    return counts;
  },
};

/** The earliest day goods on order are expected, and the units due that day. */
function nextDelivery(orders: readonly OpenOrderLine[]): {
  nextDelivery: string | null;
  nextDeliveryQuantity: number | null;
} {
  const dated = orders.filter((o) => o.quantity > 0 && o.expectedDay !== null);
  if (dated.length === 0) return { nextDelivery: null, nextDeliveryQuantity: null };
  const day = Math.min(...dated.map((o) => o.expectedDay as number));
  const quantity = dated.reduce((n, o) => (o.expectedDay === day ? n + o.quantity : n), 0);
  return { nextDelivery: isoFromDay(day), nextDeliveryQuantity: quantity };
}
