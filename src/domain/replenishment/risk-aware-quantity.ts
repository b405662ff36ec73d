import type { PeriodLevel } from "../forecast/level-uncertainty.js";
import { roundToPack, suggestOrderQuantity } from "./order-quantity.js";
import { ProtectionRisk } from "./service-level.js";

/**
 * The two quantities every suggestion carries (SPEC §4): the brief's margin quantity, exactly as
 * the brief writes it, and the service-level quantity Q_s, each with its probability of no
 * stock-out; Q_s also respects the article's shelf life (never more than sells before it
 * perishes) and the legacy safety stock (a floor under the stock left at the next delivery).
 * Notes say which of these changed a quantity, so that the calculator can explain it.
 */
export interface SuggestionInput {
  /** Daily forecast means from today (index 0 = t). */
  forecast: ArrayLike<number>;
  phi: number;
  /** What the forecast's level is known to over the period (level-uncertainty.ts). */
  level?: PeriodLevel;
  /** stock_actuel counting open orders due by the target date D. */
  stockAtTarget: number;
  /** stock_actuel counting open orders due by the delivery of an order placed today (t + L). */
  stockAtLeadTime: number;
  /** D − t (days, inclusive of D). */
  targetOffset: number;
  /** The planned lead time L (the alert's). */
  leadTime: number;
  marginPct: number;
  packSize: number;
  minimumOrder: number;
  /** Service level s of the article's ABC class, in (0, 1). */
  serviceLevel: number;
  /** Observed delays beyond the planned lead time (days), from past deliveries. */
  delays: readonly number[];
  /**
   * The lead time usually observed (p50, days), null when no delivery was seen: where it is
   * shorter than the planned one, the shelf life counts from it.
   */
  usualLeadTime?: number | null;
  /** `duree_conservation_jours`; null: not perishable. */
  shelfLifeDays: number | null;
  /** `stock_securite`; null: none. */
  safetyStock: number | null;
}

export type SuggestionNote =
  | { code: "shelf_life_capped"; maxUnits: number }
  /** Capped to nothing: even the smallest order the supplier takes would perish unsold. */
  | { code: "shelf_life_blocks_order"; maxUnits: number; smallestOrder: number }
  | { code: "safety_stock_raised"; safetyStock: number }
  | { code: "minimum_order_raised"; minimumOrder: number }
  | { code: "exceeds_shelf_life"; maxUnits: number }
  | { code: "below_safety_stock"; safetyStock: number }
  | { code: "floor_added"; unitsPerWeek: number }
  /**
   * Received when an order placed today would arrive, the quantity still leaves the shelf missing
   * `units` of forecast sales from `from` until goods on order due on `until` (ISO days):
   * waiting-for-orders.ts.
   */
  | { code: "sales_missed_while_waiting"; units: number; from: string; until: string };

export interface QuantityWithRisk {
  quantity: number;
  /** P(no stock-out before the delivery after D) with this quantity. */
  probability: number;
  notes: SuggestionNote[];
}

export interface Suggestion {
  forecastToTarget: number;
  /** The brief's formula before rounding (may be ≤ 0). */
  marginRaw: number;
  margin: QuantityWithRisk;
  service: QuantityWithRisk & { level: number };
  /** Stock expected when an order placed today arrives, before it is received (< 0: short). */
  stockAtDelivery: number;
  /** Units the shelf life allows to receive then (null: not perishable). */
  shelfLifeMax: number | null;
  /**
   * q_s of the demand from today to D, deliveries on time: what the suggestion promises, kept
   * to be checked once the period is over (service-promise.ts).
   */
  promisedDemand: number;
}

export function suggestQuantities(input: SuggestionInput): Suggestion {
  const margin = suggestOrderQuantity({
    forecast: input.forecast,
    stock: input.stockAtTarget,
    targetOffset: input.targetOffset,
    marginPct: input.marginPct,
    packSize: input.packSize,
    minimumOrder: input.minimumOrder,
  });
  const lead = Math.max(1, Math.min(input.leadTime, input.forecast.length));
  let salesBeforeDelivery = 0;
  for (let d = 0; d < lead; d++) salesBeforeDelivery += input.forecast[d] as number;
  const stockAtDelivery = input.stockAtLeadTime - salesBeforeDelivery;
  const shelfLifeMax = shelfLifeLimit(input, lead);
  const risk = new ProtectionRisk({
    forecast: input.forecast,
    phi: input.phi,
    level: input.level,
    targetOffset: input.targetOffset,
    delays: input.delays,
  });
  const service = serviceQuantity(input, risk, margin.forecastToTarget, shelfLifeMax);
  const marginNotes: SuggestionNote[] = [];
  if (shelfLifeMax !== null && margin.quantity > shelfLifeMax)
    marginNotes.push({ code: "exceeds_shelf_life", maxUnits: shelfLifeMax });
  if (
    input.safetyStock !== null &&
    input.safetyStock > 0 &&
    input.stockAtTarget + margin.quantity - margin.forecastToTarget < input.safetyStock
  )
    marginNotes.push({ code: "below_safety_stock", safetyStock: input.safetyStock });
  return {
    forecastToTarget: margin.forecastToTarget,
    marginRaw: margin.raw,
    margin: {
      quantity: margin.quantity,
      probability: risk.probability(input.stockAtTarget, margin.quantity),
      notes: marginNotes,
    },
    service: { ...service, level: input.serviceLevel },
    stockAtDelivery,
    shelfLifeMax,
    promisedDemand: risk.onTimeQuantile(input.serviceLevel),
  };
}

/**
 * What may arrive at delivery so that nothing outlives its shelf life: the sales of the
 * `shelfLifeDays` days from delivery, less the stock still there at delivery. Delivery is taken
 * on the earlier of the planned lead time and the one usually observed: units that come sooner
 * than planned must sell sooner, and counted from the planned day a perishable planned at 5 days
 * that comes in 1 was ordered for days it never sees (first in, first out, the order sells last).
 */
function shelfLifeLimit(input: SuggestionInput, lead: number): number | null {
  if (input.shelfLifeDays === null || !(input.shelfLifeDays > 0)) return null;
  const usual = input.usualLeadTime;
  const arrival =
    usual !== null && usual !== undefined && Number.isFinite(usual)
      ? Math.max(1, Math.min(lead, Math.round(usual)))
      : lead;
  let before = 0;
  for (let d = 0; d < arrival; d++) before += input.forecast[d] as number;
  let sales = 0;
  const end = Math.min(input.forecast.length, arrival + Math.round(input.shelfLifeDays));
  for (let d = arrival; d < end; d++) sales += input.forecast[d] as number;
  const stockThen = input.stockAtLeadTime - before;
  return Math.max(0, Math.floor(sales - Math.max(0, stockThen) + 1e-9));
}

function serviceQuantity(
  input: SuggestionInput,
  risk: ProtectionRisk,
  forecastToTarget: number,
  shelfLifeMax: number | null,
): QuantityWithRisk {
  const notes: SuggestionNote[] = [];
  let units = risk.serviceUnits(input.stockAtTarget, input.serviceLevel);
  if (input.safetyStock !== null && input.safetyStock > 0) {
    // The stock left at D, on average, must not fall under the legacy safety stock.
    const floor = Math.ceil(forecastToTarget + input.safetyStock - input.stockAtTarget - 1e-9);
    if (floor > units) {
      units = floor;
      notes.push({ code: "safety_stock_raised", safetyStock: input.safetyStock });
    }
  }
  let quantity = roundToPack(units, input.packSize, input.minimumOrder);
  const pack = input.packSize > 0 ? input.packSize : 1;
  if (units > 0 && quantity > Math.ceil(units / pack - 1e-9) * pack)
    notes.push({ code: "minimum_order_raised", minimumOrder: input.minimumOrder });
  if (shelfLifeMax !== null && quantity > shelfLifeMax) {
    const packs = Math.floor(shelfLifeMax / pack + 1e-9) * pack;
    if (packs <= 0 || packs < input.minimumOrder) {
      // "Capped at 1" beside a 0 reads as a fault, and "raised to the minimum" beside it as a
      // contradiction: one note says what stops the order.
      const smallestOrder = roundToPack(pack, pack, input.minimumOrder);
      return {
        quantity: 0,
        probability: risk.probability(input.stockAtTarget, 0),
        notes: [{ code: "shelf_life_blocks_order", maxUnits: shelfLifeMax, smallestOrder }],
      };
    }
    quantity = packs;
    notes.push({ code: "shelf_life_capped", maxUnits: shelfLifeMax });
  }
  const floor = input.level?.floor;
  // Said, as Q_s would otherwise read as an order for an article forecast at nothing.
  if (floor && risk.floorAdded && quantity > 0)
    notes.push({ code: "floor_added", unitsPerWeek: Math.round(floor.rate * 7 * 100) / 100 });
  return {
    quantity,
    probability: risk.probability(input.stockAtTarget, quantity),
    notes,
  };
}
