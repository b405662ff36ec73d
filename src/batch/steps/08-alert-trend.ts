import {
  readOrderHistory,
  readStockHistory,
  type StockHistory,
  stockOn,
} from "../../data/legacy/read-stock.js";
import { getKpi, kpiHistory, putKpi } from "../../data/optiflow/results-repository.js";
import { TREND_KPI_DAYS } from "../../data/optiflow/runs-repository.js";
import { isoFromDay } from "../../domain/calendar/days.js";
import type { HealthKpis } from "../../domain/kpi/health.js";
import { assessAlert } from "../../domain/replenishment/alert-level.js";
import {
  currentStock,
  type OrderLineHistory,
  openOrdersOn,
} from "../../domain/replenishment/stock-position.js";
import type { BatchContext, BatchStep } from "../batch-context.js";
import { kpiScopes } from "../kpi-scopes.js";

// The KPIs of past runs are kept that long for it (runs-repository.ts).
const DAYS = TREND_KPI_DAYS;
/**
 * A delivered order placed this long before the trend's first day is taken as closed by then
 * (orders still open tonight are read whatever their age): the trend's days need no older ones,
 * and a year of them is most of the order lines of a large base.
 */
const ORDER_LOOKBACK_DAYS = 90;

interface TrendPoint {
  date: string;
  CRITIQUE: number;
  ATTENTION: number;
  OK: number;
  SANS_PREVISION: number;
  /** True when no batch ran that day: rebuilt from the end-of-day stock history. */
  reconstructed: boolean;
}

/**
 * Step 8: alert counts of the last 7 days: those of the runs of each day; a day without a run
 * (the first nights, a missed one) is rebuilt from the stock at the end of the day before
 * (`stocks_historique`) and the orders then open (placed, not yet received), as step 3 counts
 * them, against tonight's forecast, and flagged as such. Without those orders, an article whose
 * delivery was on its way read as critical on every rebuilt day, and the trend fell like a cliff
 * on the first night a batch ran.
 */
export const alertTrendStep: BatchStep = {
  id: "8",
  name: "tendance des alertes (7 jours)",
  needs: ["6"],
  run(ctx) {
    const history = readStockHistory(
      ctx.db,
      isoFromDay(ctx.today - DAYS),
      isoFromDay(ctx.today - 1),
    );
    // Read only if a day is rebuilt: once a week of nights has run, none is (a million order
    // lines at 10,000 articles).
    let orders: Map<string, OrderLineHistory[]> | null = null;
    const ordersThen = () => {
      orders ??= readOrderHistory(
        ctx.db,
        isoFromDay(ctx.today - DAYS - ORDER_LOOKBACK_DAYS),
        ctx.todayIso,
      );
      return orders;
    };
    let days = 0;
    let rebuilt = 0;
    for (const scope of kpiScopes(ctx)) {
      const key = `health${scope.suffix}`;
      const today = getKpi<HealthKpis>(ctx.db, ctx.runId, key);
      const known = new Map<string, TrendPoint>(
        kpiHistory<HealthKpis>(
          ctx.db,
          key,
          isoFromDay(ctx.today - DAYS + 1),
          ctx.todayIso,
          ctx.runId,
        ).map((h) => [h.today, { date: h.today, ...h.value.alerts, reconstructed: false }]),
      );
      if (today)
        known.set(ctx.todayIso, { date: ctx.todayIso, ...today.alerts, reconstructed: false });
      const points: TrendPoint[] = [];
      for (let d = ctx.today - DAYS + 1; d <= ctx.today; d++) {
        const point =
          known.get(isoFromDay(d)) ?? rebuild(ctx, scope.series, history, ordersThen, d);
        if (point) points.push(point);
        if (point?.reconstructed && scope.storeId === null) rebuilt++;
      }
      putKpi(ctx.db, ctx.runId, `alert_trend${scope.suffix}`, points);
      if (scope.storeId === null) days = points.length;
    }
    return { days, rebuilt };
  },
};

function rebuild(
  ctx: BatchContext,
  series: BatchContext["series"],
  history: StockHistory,
  orders: () => ReadonlyMap<string, readonly OrderLineHistory[]>,
  day: number,
): TrendPoint | null {
  const counts = { CRITIQUE: 0, ATTENTION: 0, OK: 0, SANS_PREVISION: 0 };
  let seen = 0;
  for (const s of series) {
    const onHand = stockOn(history, s.key, day - 1);
    const alert = ctx.alerts.get(s.key);
    if (onHand === undefined || !alert) continue;
    const open = openOrdersOn(orders().get(s.key) ?? [], day - 1);
    const stock = currentStock(
      onHand,
      open,
      day + alert.leadTime - 1,
      ctx.settings.countOpenOrders,
    );
    const level = assessAlert(stock, ctx.forecasts.get(s.key)?.mean ?? null, alert.leadTime).level;
    counts[level]++;
    seen++;
  }
  return seen > 0 ? { date: isoFromDay(day), ...counts, reconstructed: true } : null;
}
