import { type QuantityRow, updateAlertQuantities } from "../../data/optiflow/results-repository.js";
import { isoFromDay } from "../../domain/calendar/days.js";
import { parseWeekdayMask } from "../../domain/calendar/opening-days.js";
import {
  defaultTargetOffset,
  orderByOffset,
  suggestOrderQuantity,
} from "../../domain/replenishment/order-quantity.js";
import { currentStock } from "../../domain/replenishment/stock-position.js";
import type { BatchStep } from "../batch-context.js";

/** Step 4: suggested quantities for the default target date, and the last day to order. */
export const orderQuantitiesStep: BatchStep = {
  id: "4",
  name: "quantités suggérées",
  needs: ["3"],
  run(ctx) {
    const rows: QuantityRow[] = [];
    let toOrder = 0;
    for (const s of ctx.series) {
      const alert = ctx.alerts.get(s.key);
      const forecast = ctx.forecasts.get(s.key);
      if (!alert || !forecast) continue;
      const offset = Math.min(
        defaultTargetOffset(
          ctx.today,
          alert.leadTime,
          parseWeekdayMask(s.article.supplierOrderDays, "1111100"),
        ),
        forecast.mean.length - 1,
      );
      const stockAtTarget = currentStock(
        alert.onHand,
        ctx.openOrders.get(s.key) ?? [],
        ctx.today + offset,
        ctx.settings.countOpenOrders,
      );
      const quantity = suggestOrderQuantity({
        forecast: forecast.mean,
        stock: stockAtTarget,
        targetOffset: offset,
        marginPct: ctx.settings.marginPct,
        packSize: s.article.packSize,
        minimumOrder: s.article.minimumOrder,
      });
      const orderBy = orderByOffset(forecast.mean, alert.stock, alert.leadTime);
      if (quantity.quantity > 0) toOrder++;
      rows.push({
        articleId: s.article.id,
        storeId: s.store.id,
        targetDate: isoFromDay(ctx.today + offset),
        stockAtTarget,
        forecastToTarget: quantity.forecastToTarget,
        suggestedQty: quantity.quantity,
        orderBy: orderBy === null ? null : isoFromDay(ctx.today + orderBy),
        // Sales at risk before a delivery could arrive, at shelf price.
        valueAtRisk: Math.max(0, -(alert.remaining || 0)) * (s.article.shelfPrice ?? 0),
      });
    }
    updateAlertQuantities(ctx.db, ctx.runId, rows);
    return { articles: rows.length, toOrder };
  },
};
