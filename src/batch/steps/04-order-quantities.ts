import { readDeliveries } from "../../data/legacy/read-deliveries.js";
import {
  putKpi,
  type QuantityRow,
  updateAlertQuantities,
} from "../../data/optiflow/results-repository.js";
import {
  insertServiceChecks,
  type ServiceCheckRow,
} from "../../data/optiflow/service-checks-repository.js";
import { supplierContacts } from "../../data/optiflow/user-input-repository.js";
import { isoFromDay } from "../../domain/calendar/days.js";
import { parseWeekdayMask } from "../../domain/calendar/opening-days.js";
import { heldOutScore } from "../../domain/forecast/held-out.js";
import { abcClasses, xyzClass } from "../../domain/replenishment/abc-xyz.js";
import {
  type LeadTimeStats,
  leadTimeFor,
  observedLeadTimes,
} from "../../domain/replenishment/observed-lead-time.js";
import { defaultTargetOffset } from "../../domain/replenishment/order-quantity.js";
import {
  type OverdueDeliveries,
  overdueBySupplier,
} from "../../domain/replenishment/overdue-deliveries.js";
import { suggestQuantities } from "../../domain/replenishment/risk-aware-quantity.js";
import { currentStock } from "../../domain/replenishment/stock-position.js";
import { lastOrderDay, salesKeptByOrder } from "../../domain/replenishment/stockout-day.js";
import { withWaitingNotes } from "../../domain/replenishment/waiting-for-orders.js";
import type { BatchContext, BatchStep } from "../batch-context.js";
import type { LoadedSeries } from "../load-series.js";

/**
 * Step 4: for every article × store, the suggested quantity for the default target date (the
 * order policy's: the brief's margin or the service level), with both quantities and their
 * probability of no stock-out, the ABC/XYZ class, the observed lead time, and the last day to
 * order. The observed lead times per supplier are kept for the Dashboard, and each suggestion's
 * promise (q_s to its target date) for step 5 to check once the period is over.
 */
export const orderQuantitiesStep: BatchStep = {
  id: "4",
  name: "quantités suggérées",
  needs: ["3"],
  run(ctx) {
    const abc = abcByStore(ctx.series, ctx.today);
    const leadTimes = readLeadTimes(ctx);
    const rows: QuantityRow[] = [];
    const promises: ServiceCheckRow[] = [];
    for (const s of ctx.series) {
      const made = quantityRow(ctx, s, abc.get(s.key) ?? "C", leadTimes);
      if (!made) continue;
      rows.push(made.row);
      promises.push(made.promise);
    }
    updateAlertQuantities(ctx.db, ctx.runId, rows);
    insertServiceChecks(ctx.db, ctx.runId, promises);
    putKpi(ctx.db, ctx.runId, "lead_times", supplierLeadTimes(ctx, leadTimes.bySupplier));
    return {
      articles: rows.length,
      toOrder: rows.filter((r) => r.suggestedQty > 0).length,
      policy: ctx.settings.orderPolicy,
      classes: classCounts(rows),
      suppliersWithObservedLeadTime: leadTimes.bySupplier.size,
    };
  },
};

type LeadTimes = ReturnType<typeof readLeadTimes>;

/**
 * One article × store's suggestion, with the sales the chosen quantity keeps recorded for step 7,
 * and its promise (q_s to the target date, deliveries on time) for step 5 to check once the
 * period is over; null where the series has no alert or no forecast.
 */
function quantityRow(
  ctx: BatchContext,
  s: LoadedSeries,
  abc: "A" | "B" | "C",
  leadTimes: LeadTimes,
): { row: QuantityRow; promise: ServiceCheckRow } | null {
  const alert = ctx.alerts.get(s.key);
  const forecast = ctx.forecasts.get(s.key);
  if (!alert || !forecast) return null;
  const openOrders = ctx.openOrders.get(s.key) ?? [];
  const offset = targetOffsetOf(ctx, s, alert.leadTime, forecast.mean.length);
  const stockAtTarget = currentStock(
    alert.onHand,
    openOrders,
    ctx.today + offset,
    ctx.settings.countOpenOrders,
  );
  const classes = { abc, xyz: xyzOf(s, forecast) };
  const observed = leadTimeFor(
    leadTimes.bySupplier,
    leadTimes.byArticle,
    s.article.supplierId,
    s.article.id,
  );
  const serviceLevel = ctx.settings.serviceLevels[classes.abc];
  const suggestion = withWaitingNotes(
    suggestQuantities({
      ...suggestionInput(ctx, s, { alert, forecast, offset, stockAtTarget }),
      serviceLevel,
      delays: observed?.delays ?? [],
      usualLeadTime: observed?.p50 ?? null,
    }),
    {
      forecast: forecast.mean,
      onHand: alert.onHand,
      openOrders,
      today: ctx.today,
      countOpenOrders: ctx.settings.countOpenOrders,
      leadTime: alert.leadTime,
      targetOffset: offset,
    },
  );
  const chosen =
    ctx.settings.orderPolicy === "niveau_de_service" ? suggestion.service : suggestion.margin;
  const parts = { alert, forecast, offset, stockAtTarget };
  const orderBy = orderByKeepingSales(ctx, s, parts, chosen.quantity);
  const targetDate = isoFromDay(ctx.today + offset);
  const promise = { articleId: s.article.id, storeId: s.store.id, periodEnd: targetDate, abc };
  return {
    promise: { ...promise, serviceLevel, quantile: suggestion.promisedDemand },
    row: {
      articleId: s.article.id,
      storeId: s.store.id,
      targetDate,
      stockAtTarget,
      forecastToTarget: suggestion.forecastToTarget,
      suggestedQty: chosen.quantity,
      orderBy: orderBy === null ? null : isoFromDay(ctx.today + orderBy),
      // Sales the shelf will miss before a delivery could arrive, at shelf price.
      valueAtRisk: alert.salesLost * (s.article.shelfPrice ?? 0),
      ...classes,
      serviceLevel,
      ...suggestionFigures(suggestion),
      leadTimeP50: observed?.p50 ?? null,
      leadTimeP90: observed?.p90 ?? null,
      leadTimeDelays: observed?.delays ?? [],
    },
  };
}

/**
 * The last day to order (the shelf's first empty day less the lead time, days from today), and
 * the sales the chosen quantity keeps up to the target date, recorded for step 7.
 */
function orderByKeepingSales(
  ctx: BatchContext,
  s: LoadedSeries,
  { alert, forecast, offset }: SuggestionParts,
  quantity: number,
): number | null {
  const openOrders = ctx.openOrders.get(s.key) ?? [];
  const { mean } = forecast;
  const { countOpenOrders } = ctx.settings;
  const order = { arrival: alert.leadTime, lastDay: offset, quantity };
  ctx.salesKept.set(
    s.key,
    salesKeptByOrder(mean, alert.onHand, openOrders, ctx.today, countOpenOrders, order),
  );
  return lastOrderDay(mean, alert.onHand, openOrders, ctx.today, countOpenOrders, alert.leadTime);
}

/** Both quantities with their probabilities, the stock at delivery and the notes, as stored. */
function suggestionFigures(suggestion: ReturnType<typeof suggestQuantities>) {
  return {
    qtyMargin: suggestion.margin.quantity,
    probMargin: suggestion.margin.probability,
    qtyService: suggestion.service.quantity,
    probService: suggestion.service.probability,
    stockAtDelivery: suggestion.stockAtDelivery,
    notes: [
      ...suggestion.margin.notes.map((n) => ({ ...n, quantity: "margin" })),
      ...suggestion.service.notes.map((n) => ({ ...n, quantity: "service" })),
    ],
  };
}

/** What a suggestion reads of the series, its alert and its forecast, for the target `offset`. */
function suggestionInput(
  ctx: BatchContext,
  s: LoadedSeries,
  { alert, forecast, offset, stockAtTarget }: SuggestionParts,
) {
  return {
    forecast: forecast.mean,
    phi: forecast.phi,
    level: forecast.periodLevel,
    stockAtTarget,
    stockAtLeadTime: alert.stock,
    targetOffset: offset,
    leadTime: alert.leadTime,
    marginPct: ctx.settings.marginPct,
    packSize: s.article.packSize,
    minimumOrder: s.article.minimumOrder,
    shelfLifeDays: s.article.shelfLifeDays,
    safetyStock: s.article.safetyStock,
  };
}

interface SuggestionParts {
  alert: NonNullable<ReturnType<BatchContext["alerts"]["get"]>>;
  forecast: NonNullable<ReturnType<BatchContext["forecasts"]["get"]>>;
  offset: number;
  stockAtTarget: number;
}

/** The default target date's offset from today (the supplier's next order day), in the horizon. */
function targetOffsetOf(
  ctx: BatchContext,
  s: LoadedSeries,
  leadTime: number,
  horizon: number,
): number {
  const orderDays = parseWeekdayMask(s.article.supplierOrderDays, "1111100");
  return Math.min(defaultTargetOffset(ctx.today, leadTime, orderDays), horizon - 1);
}

/** How many article × stores fall in each ABC/XYZ class, for the run's summary. */
function classCounts(rows: readonly QuantityRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rows) counts[`${r.abc}${r.xyz}`] = (counts[`${r.abc}${r.xyz}`] ?? 0) + 1;
  return counts;
}

/** ABC per store, by the value of the last 52 weeks' sales (units × the shelf price). */
function abcByStore(series: readonly LoadedSeries[], today: number) {
  const byStore = new Map<number, { key: string; value: number }[]>();
  for (const s of series) {
    const sales = s.input.sales;
    const end = today - s.input.calendar.firstDay;
    let units = 0;
    for (let i = Math.max(0, end - 364); i < end; i++) {
      const v = sales[i] as number;
      if (Number.isFinite(v) && v > 0) units += v;
    }
    const list = byStore.get(s.store.id) ?? [];
    list.push({ key: s.key, value: units * (s.article.shelfPrice ?? 0) });
    byStore.set(s.store.id, list);
  }
  const classes = new Map<string, "A" | "B" | "C">();
  for (const list of byStore.values()) for (const [k, c] of abcClasses(list)) classes.set(k, c);
  return classes;
}

function xyzOf(s: LoadedSeries, forecast: Parameters<typeof heldOutScore>[1]) {
  const score = heldOutScore(s.input, forecast);
  return xyzClass(score && score.total > 0 ? score.error / score.total : null);
}

function readLeadTimes(ctx: BatchContext) {
  const { orders, lines } = readDeliveries(ctx.db, isoFromDay(ctx.today - 365));
  const plannedBySupplier = new Map<number, number>();
  const plannedByArticle = new Map<number, number>();
  for (const a of ctx.articles.values()) {
    if (a.supplierId !== null && a.supplierLeadTime !== null)
      plannedBySupplier.set(a.supplierId, a.supplierLeadTime);
    if (a.articleLeadTime !== null) plannedByArticle.set(a.id, a.articleLeadTime);
  }
  return observedLeadTimes(orders, lines, plannedBySupplier, plannedByArticle);
}

/**
 * Per supplier: planned and observed lead times, for the Dashboard's late suppliers. A supplier
 * with goods late this morning is listed even without a delivery in the year read: it is the call
 * to make, record or not.
 */
function supplierLeadTimes(ctx: BatchContext, bySupplier: ReadonlyMap<number, LeadTimeStats>) {
  const planned = new Map<number, number>();
  for (const a of ctx.articles.values())
    if (a.supplierId !== null && a.supplierLeadTime !== null)
      planned.set(a.supplierId, a.supplierLeadTime);
  const overdue = overdueBySupplier(
    ctx.series.map((s) => ({
      supplierId: s.article.supplierId,
      lines: ctx.openOrders.get(s.key) ?? [],
    })),
    ctx.today,
  );
  const suppliers = new Set([...bySupplier.keys(), ...overdue.keys()]);
  const contacts = supplierContacts(ctx.db);
  return [...suppliers]
    .map((supplierId) => ({
      supplierId,
      // Every supplier's name, an order's own supplier's too when no article names it any more.
      supplier: contacts.get(supplierId)?.name ?? String(supplierId),
      ...recordFigures(bySupplier.get(supplierId), planned.get(supplierId) ?? null),
      ...overdueFigures(overdue.get(supplierId)),
      phone: contacts.get(supplierId)?.phone ?? null,
    }))
    .sort(
      (a, b) =>
        // The suppliers to call this morning first, then the usually late.
        Number(b.overdueSeries > 0) - Number(a.overdueSeries > 0) ||
        Number(b.late) - Number(a.late) ||
        (b.p90 ?? 0) - (b.planned ?? 0) - ((a.p90 ?? 0) - (a.planned ?? 0)),
    );
}

/** A supplier's delivery record; nulls where the year read holds none of its deliveries. */
function recordFigures(stats: LeadTimeStats | undefined, planned: number | null) {
  if (!stats)
    return {
      planned,
      p50: null,
      p90: null,
      observations: 0,
      partialShare: null,
      cancelledShare: null,
      late: false,
    };
  const { p50, p90, observations, partialShare, cancelledShare, late } = stats;
  return { planned: stats.planned, p50, p90, observations, partialShare, cancelledShare, late };
}

/** The series with goods past their day, since when (ISO) and the orders, for the Dashboard. */
function overdueFigures(overdue: OverdueDeliveries | undefined) {
  return overdue
    ? {
        overdueSeries: overdue.series,
        overdueSince: isoFromDay(overdue.since),
        overdueOrders: overdue.orders,
      }
    : { overdueSeries: 0, overdueSince: null, overdueOrders: [] };
}
