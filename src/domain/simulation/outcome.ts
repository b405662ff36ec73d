import { demandOf, type ReplayInput, type ReplayOutcome } from "./replay-series.js";
import { ledgerFor } from "./shelf-life-ledger.js";

/**
 * What a period cost, for one series or many (issue 15): days out of stock, sales lost, money
 * on the shelf, orders. Computed the same way for the replay and for what really happened, so
 * that the two columns of the Dashboard compare like with like.
 */
export interface PeriodFigures {
  stockOutDays: number;
  lostUnits: number;
  lostRevenue: number;
  /** Lost units × the unit's gross margin (shelf price excl. VAT − purchase price). */
  lostMargin: number;
  averageStockValue: number;
  endStockValue: number;
  orders: number;
  orderLines: number;
  /** Units past their shelf life, first in first out (shelf-life-ledger.ts), and their cost. */
  expiredUnits: number;
  expiredValue: number;
}

export interface UnitEconomics {
  /** `prix_achat`: what a unit on the shelf is worth. */
  unitCost: number;
  /** `prix_vente` (incl. VAT): what a lost sale would have brought in. */
  shelfPrice: number;
  /** Shelf price excl. VAT − purchase price, at least 0. */
  unitMargin: number;
}

export function unitEconomics(
  purchasePrice: number | null,
  shelfPrice: number | null,
  vatPct: number,
): UnitEconomics {
  const cost = purchasePrice ?? 0;
  const price = shelfPrice ?? 0;
  return {
    unitCost: cost,
    shelfPrice: price,
    unitMargin: Math.max(0, price / (1 + vatPct / 100) - cost),
  };
}

export const emptyFigures = (): PeriodFigures => ({
  stockOutDays: 0,
  lostUnits: 0,
  lostRevenue: 0,
  lostMargin: 0,
  averageStockValue: 0,
  endStockValue: 0,
  orders: 0,
  orderLines: 0,
  expiredUnits: 0,
  expiredValue: 0,
});

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.max(0, values[i] as number);
  return values.length > 0 ? sum / values.length : 0;
}

/** The replay's figures for one series (its orders counted as lines; `orders` is per supplier-day, summed later). */
export function replayFigures(outcome: ReplayOutcome, eco: UnitEconomics): PeriodFigures {
  const end = outcome.endStock.length > 0 ? (outcome.endStock.at(-1) as number) : 0;
  return {
    stockOutDays: outcome.stockOutDays,
    lostUnits: outcome.lostUnits,
    lostRevenue: outcome.lostUnits * eco.shelfPrice,
    lostMargin: outcome.lostUnits * eco.unitMargin,
    averageStockValue: mean(outcome.endStock) * eco.unitCost,
    endStockValue: Math.max(0, end) * eco.unitCost,
    orders: 0,
    orderLines: outcome.orders.length,
    expiredUnits: outcome.expiredUnits,
    expiredValue: outcome.expiredUnits * eco.unitCost,
  };
}

export interface ActualPeriod {
  /** End-of-day stock as recorded (`stocks_historique`), a missing day carrying the last one. */
  endStock: ArrayLike<number>;
  orderLines: number;
  /** Units really received in the period (every order): day index → units. */
  receipts: ReadonlyMap<number, number>;
}

/**
 * What the retailer's own receptions would have thrown away past their shelf life, counted as
 * the replay counts its own (the same ledger, the same fresh start, the recorded sales taken
 * first in, first out): the retailer's recorded losses (`PERTE`) have other causes too, and
 * comparing them with the replay's expiry alone would flatter the replay.
 */
function actualExpired(
  input: Pick<ReplayInput, "sales" | "days" | "initialStock" | "shelfLifeDays">,
  receipts: ReadonlyMap<number, number>,
): number {
  const shelf = ledgerFor(input.shelfLifeDays);
  if (!shelf) return 0;
  shelf.receive(0, Math.max(0, input.initialStock));
  let expired = 0;
  for (let i = 0; i < input.days; i++) {
    shelf.receive(i, receipts.get(i) ?? 0);
    expired += shelf.expire(i);
    const recorded = input.sales[i] as number;
    if (Number.isFinite(recorded) && recorded > 0) shelf.sell(recorded);
  }
  return expired;
}

/**
 * What really happened: the retailer's stock-out days, the sales lost on them (estimated from
 * the forecast, as the replay's demand on those days), the recorded stock and the real orders.
 */
export function actualFigures(
  input: Pick<
    ReplayInput,
    "open" | "sales" | "stockOut" | "forecasts" | "days" | "initialStock" | "shelfLifeDays"
  >,
  actual: ActualPeriod,
  eco: UnitEconomics,
): PeriodFigures {
  let stockOutDays = 0;
  let lostUnits = 0;
  for (let i = 0; i < input.days; i++) {
    if (input.stockOut[i] !== 1) continue;
    stockOutDays++;
    const recorded = Number.isFinite(input.sales[i] as number) ? (input.sales[i] as number) : 0;
    lostUnits += Math.max(0, demandOf(input, i).demand - recorded);
  }
  const end =
    actual.endStock.length > 0 ? (actual.endStock[actual.endStock.length - 1] as number) : 0;
  const expiredUnits = actualExpired(input, actual.receipts);
  return {
    stockOutDays,
    lostUnits,
    lostRevenue: lostUnits * eco.shelfPrice,
    lostMargin: lostUnits * eco.unitMargin,
    averageStockValue: mean(actual.endStock) * eco.unitCost,
    endStockValue: Math.max(0, end) * eco.unitCost,
    orders: 0,
    orderLines: actual.orderLines,
    expiredUnits,
    expiredValue: expiredUnits * eco.unitCost,
  };
}

export function addFigures(into: PeriodFigures, from: PeriodFigures): void {
  into.stockOutDays += from.stockOutDays;
  into.lostUnits += from.lostUnits;
  into.lostRevenue += from.lostRevenue;
  into.lostMargin += from.lostMargin;
  into.averageStockValue += from.averageStockValue;
  into.endStockValue += from.endStockValue;
  into.orders += from.orders;
  into.orderLines += from.orderLines;
  into.expiredUnits += from.expiredUnits;
  into.expiredValue += from.expiredValue;
}

export interface Savings {
  /** Carrying cost saved: (average stock value real − replayed) × rate × days / 365. */
  carrying: number;
  /** Margin of the sales kept: lost margin real − replayed. */
  margin: number;
  /** What perished less: the cost of the units past their shelf life, real − replayed. */
  expired: number;
  total: number;
}

/** The savings of the replay over what happened (negative: the replay did worse). */
export function savingsOf(
  actual: PeriodFigures,
  replayed: PeriodFigures,
  days: number,
  carryingCostRate: number,
): Savings {
  const carrying =
    (actual.averageStockValue - replayed.averageStockValue) * carryingCostRate * (days / 365);
  const margin = actual.lostMargin - replayed.lostMargin;
  const expired = actual.expiredValue - replayed.expiredValue;
  return { carrying, margin, expired, total: carrying + margin + expired };
}
