import { seriesKey } from "../data/legacy/day-cache.js";
import { readOpenOrders } from "../data/legacy/read-stock.js";
import type { Db } from "../data/open.js";
import { type Publication, readAlerts, readForecasts } from "../data/optiflow/published-results.js";
import { dayFromIso } from "../domain/calendar/days.js";
import { INDEPENDENT_DAYS, type PeriodLevel } from "../domain/forecast/level-uncertainty.js";
import { DEFAULT_SERVICE_LEVELS, type ServiceLevels } from "../domain/replenishment/abc-xyz.js";
import { OrderInputError } from "../domain/replenishment/order-quantity.js";
import {
  type QuantityWithRisk,
  type SuggestionNote,
  suggestQuantities,
} from "../domain/replenishment/risk-aware-quantity.js";
import { currentStock, type OpenOrderLine } from "../domain/replenishment/stock-position.js";
import { salesLostBeforeDelivery } from "../domain/replenishment/stockout-day.js";
import { withWaitingNotes } from "../domain/replenishment/waiting-for-orders.js";

/** Open purchase-order lines per "article:store", for one article. */
export type OpenOrdersSource = (articleId: number) => ReadonlyMap<string, readonly OpenOrderLine[]>;

export interface QuantityCalculation {
  articleId: number;
  reference: string;
  name: string;
  /** The article's unit (articles.unite), which the sales figures are counted in. */
  unit: string;
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
  /** The brief's quantity (SPEC §4), exactly. */
  quantity: number;
  /** Its probability of no stock-out before the delivery after the target date. */
  probability: number;
  /** Notes on the brief's quantity (beyond the shelf life, under the safety stock). */
  notes: SuggestionNote[];
  /** The service-level quantity Q_s and its probability, at the article's ABC level. */
  service: QuantityWithRisk & { level: number };
  abc: string | null;
  xyz: string | null;
  /** Stock expected when an order placed today arrives (before it is received): SPEC §4's. */
  stockAtDelivery: number;
  /**
   * Forecast sales the shelf will miss before an order placed today arrives, each order on its
   * way counted on its day (stockout-day.ts): what the pages and the CLI say when it is above 0.
   */
  salesLost: number;
  leadTime: number;
  leadTimeP50: number | null;
  leadTimeP90: number | null;
  shelfLifeDays: number | null;
  safetyStock: number | null;
  /** The SPEC §4 formula with this article's numbers (French, as the CLI prints it). */
  formula: string;
}

export interface CalculationSettings {
  countOpenOrders: boolean;
  serviceLevels: ServiceLevels;
}

/** A published series' period level; a run before it was kept: days independent. */
function periodLevelOf(alert: {
  periodFactor: number | null;
  periodVariance: number | null;
  periodFloorRate: number | null;
  periodFloorPhi: number | null;
}): PeriodLevel {
  if (alert.periodFactor === null || alert.periodVariance === null) return INDEPENDENT_DAYS;
  const level = { factor: alert.periodFactor, variance: alert.periodVariance };
  const { periodFloorRate: rate, periodFloorPhi: phi } = alert;
  return rate === null || phi === null ? level : { ...level, floor: { rate, phi } };
}

/**
 * The quantity calculator of the Alerts page and of `optiflow alerts calc`: SPEC §4 on the
 * published forecasts, for a target date and margin the user chooses; beside the brief's
 * quantity, the service-level one, both with their probability of no stock-out.
 */
export function calculateQuantities(
  db: Db,
  publication: Publication,
  articleId: number,
  targetDate: string,
  marginPct: number,
  settings: CalculationSettings,
  storeId: number | null = null,
  openOrders: OpenOrdersSource = (id) => readOpenOrders(db, id),
): QuantityCalculation[] {
  const request: CalculationRequest = {
    publication,
    articleId,
    targetDate,
    target: targetDay(targetDate),
    today: dayFromIso(publication.today),
    marginPct,
    settings,
  };
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
    const lines = orders.get(seriesKey(articleId, alert.storeId)) ?? [];
    return calculationFor(request, alert, forecast, lines);
  });
}

/** What one calculation asks, the same for each store of the article. */
interface CalculationRequest {
  publication: Publication;
  articleId: number;
  targetDate: string;
  target: number;
  today: number;
  marginPct: number;
  settings: CalculationSettings;
}

type PublishedAlert = ReturnType<typeof readAlerts>[number];

function targetDay(targetDate: string): number {
  try {
    return dayFromIso(targetDate);
  } catch {
    throw new OrderInputError(
      "targetDate",
      `expected a date YYYY-MM-DD, got "${targetDate}"`,
      "not_a_date",
    );
  }
}

/** One store's calculation: its stock by the target date, both quantities, the formula. */
function calculationFor(
  request: CalculationRequest,
  alert: PublishedAlert,
  forecast: number[],
  openOrders: readonly OpenOrderLine[],
): QuantityCalculation {
  const { settings, target, today, marginPct } = request;
  const stock = currentStock(alert.onHand, openOrders, target, settings.countOpenOrders);
  const abc = (alert.abc ?? "C") as keyof ServiceLevels;
  const suggestion = withWaitingNotes(
    suggestQuantities({
      forecast,
      phi: alert.phi ?? 0.5,
      level: periodLevelOf(alert),
      stockAtTarget: stock,
      stockAtLeadTime: alert.stockActuel,
      targetOffset: target - today,
      leadTime: alert.leadTime,
      marginPct,
      packSize: alert.packSize,
      minimumOrder: alert.minimumOrder,
      serviceLevel: settings.serviceLevels[abc] ?? DEFAULT_SERVICE_LEVELS[abc],
      delays: alert.leadTimeDelays,
      usualLeadTime: alert.leadTimeP50,
      shelfLifeDays: alert.shelfLifeDays,
      safetyStock: alert.safetyStock,
    }),
    {
      forecast,
      onHand: alert.onHand,
      openOrders,
      today,
      countOpenOrders: settings.countOpenOrders,
      leadTime: alert.leadTime,
      targetOffset: target - today,
    },
  );
  return {
    articleId: request.articleId,
    reference: alert.reference,
    name: alert.name,
    unit: alert.unit,
    storeId: alert.storeId,
    storeCode: alert.storeCode,
    targetDate: request.targetDate,
    marginPct,
    forecastToTarget: suggestion.forecastToTarget,
    onHand: alert.onHand,
    openOrdersByTarget: stock - alert.onHand,
    stockActuel: stock,
    raw: suggestion.marginRaw,
    packSize: alert.packSize,
    minimumOrder: alert.minimumOrder,
    quantity: suggestion.margin.quantity,
    probability: suggestion.margin.probability,
    notes: suggestion.margin.notes,
    service: suggestion.service,
    abc: alert.abc,
    xyz: alert.xyz,
    stockAtDelivery: suggestion.stockAtDelivery,
    salesLost: salesLostBeforeDelivery(
      forecast,
      alert.onHand,
      openOrders,
      today,
      settings.countOpenOrders,
      alert.leadTime,
    ),
    leadTime: alert.leadTime,
    leadTimeP50: alert.leadTimeP50,
    leadTimeP90: alert.leadTimeP90,
    shelfLifeDays: alert.shelfLifeDays,
    safetyStock: alert.safetyStock,
    formula: formulaOf(request, alert, stock, suggestion),
  };
}

/** The SPEC §4 formula with this article's numbers, in French as the CLI prints it. */
function formulaOf(
  { publication, targetDate, marginPct }: CalculationRequest,
  alert: PublishedAlert,
  stock: number,
  suggestion: ReturnType<typeof suggestQuantities>,
): string {
  const f = (v: number) => (Math.round(v * 100) / 100).toLocaleString("fr-FR");
  const minimum = alert.minimumOrder > 0 ? `, minimum ${f(alert.minimumOrder)}` : "";
  return `Q = max(0, (Σ prévisions du ${publication.today} au ${targetDate} = ${f(suggestion.forecastToTarget)} − stock actuel ${f(stock)}) × (1 + ${f(marginPct)}/100)) = ${f(Math.max(0, suggestion.marginRaw))} → arrondi au colisage de ${f(alert.packSize)}${minimum} → ${f(suggestion.margin.quantity)}`;
}
