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
  const arriving = new Float64Array(forecast.length);
  if (countOpenOrders)
    for (const line of openOrders) {
      if (!(line.quantity > 0)) continue;
      const day = line.expectedDay === null ? 0 : Math.max(0, line.expectedDay - today);
      if (day < arriving.length) arriving[day] = (arriving[day] as number) + line.quantity;
    }
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
