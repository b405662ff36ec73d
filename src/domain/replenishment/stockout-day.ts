import type { OpenOrderLine } from "./stock-position.js";

/**
 * The first day the shelf is empty (days from today), each open order counted on the day it is
 * expected: the date the Alerts page gives as "Rupture le" and its reason's "dans N j". The
 * on-hand cover (coverage.ts) ignores the orders, as the Dashboard's coverage classes should (what
 * the shelf holds now), and read beside an alert that counts them it was wrong both ways: "Rupture
 * le 27 nov." for milk with 50 units arriving that morning, two days before it would run out.
 *
 * An order without a date, or late, counts as arriving today, as `stock_actuel` counts it (SPEC
 * §4); with `countOpenOrders` off, the orders count for nothing, as there. A day that starts with
 * an empty shelf, or sells more than it holds, is the stock-out day. Null: not within the
 * forecast's horizon.
 */
export function stockoutDay(
  forecast: ArrayLike<number>,
  onHand: number,
  openOrders: readonly OpenOrderLine[],
  today: number,
  countOpenOrders: boolean,
): number | null {
  const arriving = arrivalsByDay(forecast.length, openOrders, today, countOpenOrders);
  let received = onHand;
  let sold = 0;
  for (let d = 0; d < forecast.length; d++) {
    received += arriving[d] as number;
    if (received - sold <= 0) return d;
    sold += forecast[d] as number;
    if (sold > received) return d;
  }
  return null;
}

/**
 * The last day an order can be placed (days from today) for its goods to arrive before the shelf
 * empties: the first day from the lead time on that the shelf cannot meet the day's sales, less the
 * lead time; 0 when it is empty then already. An empty day before the lead time is one no order placed today can
 * fill, and the sales lost on it do not empty the delivery that follows (lost sales, not
 * backorders). Read from `stock_actuel`, as before, it left out an order due after the lead time:
 * 200 units due in 5 days did not move "order by" at all. Null: not within the horizon.
 */
export function lastOrderDay(
  forecast: ArrayLike<number>,
  onHand: number,
  openOrders: readonly OpenOrderLine[],
  today: number,
  countOpenOrders: boolean,
  leadTime: number,
): number | null {
  const arriving = arrivalsByDay(forecast.length, openOrders, today, countOpenOrders);
  let level = onHand;
  for (let d = 0; d < forecast.length; d++) {
    level += arriving[d] as number;
    const sales = forecast[d] as number;
    // A day it would sell more than it holds (an empty shelf on a day nothing would sell is no loss).
    if (d >= leadTime && sales > 0 && sales > level) return d - leadTime;
    level = shelfAfterSales(level, sales);
  }
  return null;
}

/**
 * The forecast sales the shelf cannot make before an order placed today could arrive (days 0 to
 * L − 1), each open order counted on its expected day: the sales at risk that the Alerts page
 * values and the Dashboard's urgencies rank. SPEC §4's `reste` counts every order due within the
 * lead time as if it arrived today, and its shortfall is what customers would still be owed at
 * the end if they waited; they do not. 3 on the shelf, 120 due in 8 days, 9 a day over 14 days:
 * −reste is 3 units, while the shelf misses a week of sales (69 units). Never more than the
 * forecast sales of the period, never less than −reste while the stock is not negative.
 */
export function salesLostBeforeDelivery(
  forecast: ArrayLike<number>,
  onHand: number,
  openOrders: readonly OpenOrderLine[],
  today: number,
  countOpenOrders: boolean,
  leadTime: number,
): number {
  const days = Math.min(forecast.length, Math.max(1, leadTime));
  return lostSales(forecast, onHand, arrivalsByDay(days, openOrders, today, countOpenOrders));
}

/**
 * The forecast sales an order of `quantity` arriving on day `arrival` keeps from being lost, up
 * to day `lastDay` (the target date its quantity covers): the sales lost without it less those
 * lost with it, each open order counted on its expected day. Sales before it arrives it cannot
 * keep, and each of its units sells once at most: between 0 and `quantity`. What the Dashboard's
 * potential savings count, where they used to count SPEC's shortfall before the delivery — the
 * sales an order placed today is too late for.
 */
export function salesKeptByOrder(
  forecast: ArrayLike<number>,
  onHand: number,
  openOrders: readonly OpenOrderLine[],
  today: number,
  countOpenOrders: boolean,
  order: { arrival: number; lastDay: number; quantity: number },
): number {
  const days = Math.min(forecast.length, order.lastDay + 1);
  if (!(order.quantity > 0) || order.arrival >= days) return 0;
  const arriving = arrivalsByDay(days, openOrders, today, countOpenOrders);
  const without = lostSales(forecast, onHand, arriving);
  arriving[order.arrival] = (arriving[order.arrival] as number) + order.quantity;
  return without - lostSales(forecast, onHand, arriving);
}

/**
 * The forecast sales the shelf still misses while it waits for goods on order that come after an
 * order placed today would (`arrival`, the lead time), that order received with `quantity`: from
 * its arrival to the last such delivery up to `lastDay`; the first day it misses one, and the day
 * of the delivery that ends the wait (`lateDelivery`). The brief's formula sums the sales and the
 * deliveries up to the target date (SPEC §4): 30 on the shelf and 200 due in 10 days cover 14
 * days of 10 a day, so it suggests nothing, while the shelf, empty from day 3, misses the 50 units
 * of days 5 to 9 that an order placed today (lead time 5) would have kept. Null when no order on
 * its way comes after `arrival`, or none of those sales is missed.
 */
export function salesMissedWhileWaiting(
  forecast: ArrayLike<number>,
  onHand: number,
  openOrders: readonly OpenOrderLine[],
  today: number,
  countOpenOrders: boolean,
  order: { arrival: number; lastDay: number; quantity: number },
): { units: number; firstDay: number; lateDelivery: number } | null {
  const days = Math.min(forecast.length, order.lastDay + 1);
  if (order.arrival >= days) return null;
  const arriving = arrivalsByDay(days, openOrders, today, countOpenOrders);
  let lateDelivery = -1;
  for (let d = order.arrival + 1; d < days; d++) if ((arriving[d] as number) > 0) lateDelivery = d;
  if (lateDelivery < 0) return null;
  if (order.quantity > 0)
    arriving[order.arrival] = (arriving[order.arrival] as number) + order.quantity;
  const missed = missedSales(forecast, onHand, arriving.subarray(0, lateDelivery), order.arrival);
  if (!(missed.units > 0)) return null;
  // The delivery that ends the wait: the first after the last day missed, not the last on order.
  let ends = missed.lastDay + 1;
  while ((arriving[ends] as number) <= 0) ends++;
  return { units: missed.units, firstDay: missed.firstDay, lateDelivery: ends };
}

/**
 * The forecast sales the shelf cannot make over the days of `arriving` (deliveries in on their
 * day, a sale it cannot make lost, not owed). A day with no usable forecast (NaN) sells nothing,
 * rather than making the sum NaN.
 */
function lostSales(forecast: ArrayLike<number>, onHand: number, arriving: Float64Array): number {
  return missedSales(forecast, onHand, arriving, 0).units;
}

/** Those lost from day `from` on, and the first and last of those days (−1: none). */
function missedSales(
  forecast: ArrayLike<number>,
  onHand: number,
  arriving: Float64Array,
  from: number,
): { units: number; firstDay: number; lastDay: number } {
  let level = onHand;
  let units = 0;
  let firstDay = -1;
  let lastDay = -1;
  for (let d = 0; d < arriving.length; d++) {
    level += arriving[d] as number;
    const f = forecast[d] as number;
    // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 0) is NaN; the ternary sells 0.
    const sales = f > 0 ? f : 0;
    const lost = Math.max(0, sales - Math.max(0, level));
    if (d >= from && lost > 0) {
      units += lost;
      if (firstDay < 0) firstDay = d;
      lastDay = d;
    }
    level = shelfAfterSales(level, sales);
  }
  return { units, firstDay, lastDay };
}

/**
 * The shelf after a day's sales: a sale it cannot make is lost, not owed to the next delivery
 * (lost sales, not backorders); a negative figure from the data stays as it is.
 */
export function shelfAfterSales(level: number, sales: number): number {
  return Math.max(Math.min(level, 0), level - sales);
}

/**
 * Units arriving on each day of the horizon from the open orders (an undated or late one today);
 * none with `countOpenOrders` off. The article sheet's projected stock reads the same.
 */
export function arrivalsByDay(
  length: number,
  openOrders: readonly OpenOrderLine[],
  today: number,
  countOpenOrders: boolean,
): Float64Array {
  const arriving = new Float64Array(length);
  if (!countOpenOrders) return arriving;
  for (const line of openOrders) {
    if (!(line.quantity > 0)) continue;
    const day = line.expectedDay === null ? 0 : Math.max(0, line.expectedDay - today);
    if (day < length) arriving[day] = (arriving[day] as number) + line.quantity;
  }
  return arriving;
}
