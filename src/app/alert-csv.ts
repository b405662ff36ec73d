import type { AlertView } from "../data/optiflow/published-results.js";
import { addDays } from "../domain/calendar/days.js";
import { emptySuggestion } from "../domain/replenishment/empty-suggestion.js";
import { safetyStockShortfall } from "../domain/replenishment/safety-stock-warning.js";
import { shelfLifeOutcome } from "../domain/replenishment/shelf-life-outcome.js";
import { missedWhileWaiting } from "../domain/replenishment/waiting-for-orders.js";
import { frenchCsv } from "./french-csv.js";

/**
 * The columns of the exported alert list, one row per article and store, in the page's order.
 * Public: a script may read them by name or position, so new ones go at the end.
 */
export const ALERT_CSV_COLUMNS = [
  "level",
  "store",
  "article",
  "name",
  "category",
  "supplier",
  "abc",
  "xyz",
  "on_hand",
  "on_order",
  "lead_time_days",
  "sales_in_lead_time",
  "reste",
  "stockout_date",
  "value_at_risk",
  "suggested_quantity",
  "order_by",
  "margin_quantity",
  "service_level",
  "service_level_quantity",
  "shelf_life",
  "empty_suggestion",
  "below_safety_stock",
  "missed_while_waiting",
  "next_delivery",
] as const;

/**
 * The alert list for a French spreadsheet (french-csv.ts), with what the page says beside each
 * quantity, under the published policy: `shelf_life`, what the shelf life did to it (blocked,
 * capped, exceeds); `empty_suggestion`, on a flagged row with nothing to order, what covers its
 * target date (covered_with_orders, covered_by_stock); `below_safety_stock`, the shop's safety
 * stock the suggestion leaves the stock under by then; `missed_while_waiting`, the forecast sales
 * the shelf still misses, the suggestion received, while it waits for goods on order due later
 * (waiting-for-orders.ts); `next_delivery`, the first expected day of the goods on order (before
 * the file's date: late, still counted as due today). The service level is a share (0.95).
 */
export function alertsCsv(
  rows: readonly AlertView[],
  today: string,
  orderPolicy: string | null,
): string {
  return frenchCsv(
    ALERT_CSV_COLUMNS,
    rows.map((a) => [
      a.level,
      a.storeCode,
      a.reference,
      a.name,
      a.category,
      a.supplier,
      a.abc,
      a.xyz,
      a.onHand,
      a.onOrder,
      a.leadTime,
      a.ventesPrevuesDelai,
      a.reste,
      a.daysToStockout === null ? null : addDays(today, a.daysToStockout),
      a.valueAtRisk,
      a.suggestedQty,
      a.orderBy,
      a.qtyMargin,
      a.serviceLevel,
      a.qtyService,
      shelfLifeOutcome(a.quantityNotes, orderPolicy),
      emptySuggestion(a, orderPolicy),
      safetyStockShortfall(a.quantityNotes, orderPolicy),
      missedWhileWaiting(a.quantityNotes, orderPolicy)?.units ?? null,
      a.onOrder > 0 ? a.nextDelivery : null,
    ]),
  );
}
