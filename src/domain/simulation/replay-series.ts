import { isMaskedDay, type WeekdayMask } from "../calendar/opening-days.js";
import type { PeriodLevel } from "../forecast/level-uncertainty.js";
import { assessAlert } from "../replenishment/alert-level.js";
import { defaultTargetOffset } from "../replenishment/order-quantity.js";
import { suggestQuantities } from "../replenishment/risk-aware-quantity.js";
import type { OrderPolicy } from "../settings/settings.js";
import { ledgerFor } from "./shelf-life-ledger.js";

/**
 * One article in one store replayed day by day over a past period (issue 15): had the manager
 * ordered what Optiflow suggested, on the supplier's order days, what would the shelf have held?
 *
 * Each morning, as the batch at 00:30 would: deliveries due that day arrive; on an order day the
 * suggestion is computed exactly as step 4 computes it (same domain functions), from the
 * forecast made at the latest weekly origin — never from a sale of that day or later — and
 * placed, the open orders counted as the batch counts them; it arrives after the lead time the
 * article (or, with too few orders of its own, its supplier) really showed at the time. Then the
 * day's demand is served from the shelf: the real sales, or, on the retailer's own stock-out
 * days (whose demand is unknown), the larger of what sold and the forecast — an estimate,
 * counted.
 * A perishable article's units past their shelf life are thrown away each morning, before the
 * order is computed (shelf-life-ledger.ts): the batch, too, sees the shelf after such losses.
 */
export interface ReplayForecast {
  /** Daily means from the origin on. */
  mean: ArrayLike<number>;
  phi: number;
  /** What the level is known to over a period of days (level-uncertainty.ts); absent: days independent. */
  level?: PeriodLevel;
}

export interface ReplayInput {
  /** Days of the period. */
  days: number;
  /** Day number of the period's first day (a weekday for the order days). */
  firstDay: number;
  /** Units sold each day, as recorded; NaN counts as 0. */
  sales: ArrayLike<number>;
  /** 1 on the retailer's own stock-out days: the recorded sales understate demand. */
  stockOut: ArrayLike<number>;
  /** 1 when the store opens (no demand otherwise). */
  open: ArrayLike<number>;
  /** End-of-day stock on the day before the period. */
  initialStock: number;
  /** Deliveries of orders placed before the period, as they really arrived: day index → units. */
  arrivals: ReadonlyMap<number, number>;
  /** The forecast made at each weekly origin (origin k = day 7k), null where none. */
  forecasts: readonly (ReplayForecast | null)[];
  /** Planned lead time L (the alert's). */
  leadTime: number;
  /** Days from the order to the delivery for an order placed on day index i. */
  actualLeadTime: (dayIndex: number) => number;
  orderDays: WeekdayMask;
  policy: OrderPolicy;
  marginPct: number;
  serviceLevel: number;
  /** Observed delays beyond L known before the period (Q_s's protection period). */
  delays: readonly number[];
  /** The lead time observed before the period (p50), null when none (the shelf life's). */
  usualLeadTime: number | null;
  packSize: number;
  minimumOrder: number;
  shelfLifeDays: number | null;
  safetyStock: number | null;
  countOpenOrders: boolean;
}

export interface ReplayOrder {
  /** Day index the order is placed, its quantity, and the day index it arrives. */
  day: number;
  quantity: number;
  arrival: number;
}

export interface ReplayOutcome {
  orders: ReplayOrder[];
  /** Per day: units sold, units short, end-of-day stock. */
  sold: Float64Array;
  lost: Float64Array;
  endStock: Float64Array;
  /** Days the shelf was empty at the end of the day or turned a customer away. */
  stockOutDays: number;
  lostUnits: number;
  /** Days whose demand had to be estimated from the forecast (the retailer's stock-outs). */
  estimatedDays: number;
  /** Units thrown away past their shelf life (0 for an article that keeps). */
  expiredUnits: number;
}

const WEEK = 7;
/** Lead times beyond this are counted as arriving on its last day (a bound for the arrays). */
const MAX_LEAD_DAYS = 365;

/** The forecast for day index i from the latest weekly origin at or before it, from i on. */
function forecastFrom(input: ReplayInput, i: number): Float64Array | null {
  const k = Math.floor(i / WEEK);
  const f = input.forecasts[k];
  if (!f) return null;
  const offset = i - k * WEEK;
  if (offset >= f.mean.length) return null;
  return Float64Array.from({ length: f.mean.length - offset }, (_, d) => f.mean[offset + d] ?? 0);
}

/** What the replay has on order on day i: its own orders, and those placed before the period. */
interface OnOrder {
  /** Units of the orders placed before the period, by the day they arrived. */
  before: Float64Array;
  placed: readonly ReplayOrder[];
}

/**
 * What is on order and due up to day `last` (inclusive), as the batch counts it
 * (stock-position.ts): the replay's own orders by the day they were expected (placed + the
 * planned lead time), one overdue counted as due, not by the day they will arrive, which the
 * morning cannot know; the orders placed before the period by the day they arrived (their
 * expected day is not read).
 */
function dueBy(onOrder: OnOrder, i: number, last: number, leadTime: number): number {
  let units = 0;
  const end = Math.min(last, onOrder.before.length - 1);
  for (let d = i + 1; d <= end; d++) units += onOrder.before[d] as number;
  for (const o of onOrder.placed)
    if (o.arrival > i && o.day + leadTime <= last) units += o.quantity;
  return units;
}

function placeOrder(input: ReplayInput, i: number, onHand: number, onOrder: OnOrder) {
  const forecast = forecastFrom(input, i);
  if (!forecast) return 0;
  const day = input.firstDay + i;
  const L = input.leadTime;
  const offset = Math.min(defaultTargetOffset(day, L, input.orderDays), forecast.length - 1);
  const open = (last: number) => (input.countOpenOrders ? dueBy(onOrder, i, last, L) : 0);
  const stockAtLeadTime = onHand + open(i + L - 1);
  if (assessAlert(stockAtLeadTime, forecast, L).level === "SANS_PREVISION") return 0;
  const suggestion = suggestQuantities({
    forecast,
    phi: input.forecasts[Math.floor(i / WEEK)]?.phi ?? 0,
    level: input.forecasts[Math.floor(i / WEEK)]?.level,
    stockAtTarget: onHand + open(i + offset),
    stockAtLeadTime,
    targetOffset: offset,
    leadTime: L,
    marginPct: input.marginPct,
    packSize: input.packSize,
    minimumOrder: input.minimumOrder,
    serviceLevel: input.serviceLevel,
    delays: input.delays,
    usualLeadTime: input.usualLeadTime,
    shelfLifeDays: input.shelfLifeDays,
    safetyStock: input.safetyStock,
  });
  return input.policy === "niveau_de_service"
    ? suggestion.service.quantity
    : suggestion.margin.quantity;
}

/** The forecast of day index i itself, as made at its week's origin (0 when none). */
export function forecastOfDay(forecasts: ReplayInput["forecasts"], i: number): number {
  const k = Math.floor(i / WEEK);
  const value = forecasts[k]?.mean[i - k * WEEK];
  return value !== undefined && Number.isFinite(value) ? Math.max(0, value) : 0;
}

/**
 * The day's demand: what sold, or on a retailer's stock-out day (its demand unknown) the larger
 * of what sold and the forecast. The same estimate serves the real side's lost sales.
 */
export function demandOf(
  input: Pick<ReplayInput, "open" | "sales" | "stockOut" | "forecasts">,
  i: number,
): { demand: number; estimated: boolean } {
  if (input.open[i] === 0) return { demand: 0, estimated: false };
  const recorded = Number.isFinite(input.sales[i] as number) ? (input.sales[i] as number) : 0;
  if (input.stockOut[i] !== 1) return { demand: Math.max(0, recorded), estimated: false };
  return { demand: Math.max(0, recorded, forecastOfDay(input.forecasts, i)), estimated: true };
}

export function replaySeries(input: ReplayInput): ReplayOutcome {
  const n = input.days;
  // Arrivals by day index, past the period's end too (still on order when it ends).
  const pending = new Float64Array(n + MAX_LEAD_DAYS + 1);
  const add = (d: number, units: number) => {
    pending[d] = (pending[d] as number) + units;
  };
  const before = new Float64Array(n);
  for (const [d, units] of input.arrivals) {
    if (!(d >= 0 && d < n)) continue;
    add(d, units);
    before[d] = (before[d] as number) + units;
  }
  const out: ReplayOutcome = {
    orders: [],
    sold: new Float64Array(n),
    lost: new Float64Array(n),
    endStock: new Float64Array(n),
    stockOutDays: 0,
    lostUnits: 0,
    estimatedDays: 0,
    expiredUnits: 0,
  };
  let stock = input.initialStock;
  // The stock the period starts with counts as fresh: its age is unknown (both sides alike).
  const shelf = ledgerFor(input.shelfLifeDays);
  shelf?.receive(0, Math.max(0, stock));
  const onOrder: OnOrder = { before, placed: out.orders };
  for (let i = 0; i < n; i++) {
    stock += pending[i] as number;
    shelf?.receive(i, pending[i] as number);
    if (shelf) {
      const expired = Math.min(Math.max(0, stock), shelf.expire(i));
      stock -= expired;
      out.expiredUnits += expired;
    }
    if (isMaskedDay(input.orderDays, input.firstDay + i)) {
      const quantity = placeOrder(input, i, stock, onOrder);
      if (quantity > 0) {
        const arrival = i + Math.max(0, Math.round(input.actualLeadTime(i)));
        out.orders.push({ day: i, quantity, arrival });
        add(Math.min(arrival, pending.length - 1), quantity);
        // Delivered the same morning (a lead time of 0): on the shelf before the day's sales.
        if (arrival === i) {
          stock += quantity;
          shelf?.receive(i, quantity);
        }
      }
    }
    const { demand, estimated } = demandOf(input, i);
    if (estimated) out.estimatedDays++;
    const sold = Math.min(Math.max(0, stock), demand);
    const lost = demand - sold;
    stock -= sold;
    shelf?.sell(sold);
    out.sold[i] = sold;
    out.lost[i] = lost;
    out.endStock[i] = stock;
    out.lostUnits += lost;
    if (lost > 1e-9 || stock <= 0) out.stockOutDays++;
  }
  return out;
}
