/** An open purchase-order line: ordered minus already received, with its expected day. */
export interface OpenOrderLine {
  quantity: number;
  /** Day number of the expected delivery; null when the order has no date (counted as due). */
  expectedDay: number | null;
}

/**
 * SPEC §4 `stock_actuel`: on-hand stock plus the open orders expected on or before the horizon
 * considered, when `countOpenOrders` is on (so an article already on order is not ordered twice).
 * A negative legacy on-hand figure is kept as is: it is reported by the data checks, and hiding
 * it would make the alert look better than the shelf is.
 */
export function currentStock(
  onHand: number,
  openOrders: readonly OpenOrderLine[],
  horizonDay: number,
  countOpenOrders: boolean,
): number {
  if (!countOpenOrders) return onHand;
  let incoming = 0;
  for (const line of openOrders) {
    if (line.quantity > 0 && (line.expectedDay === null || line.expectedDay <= horizonDay))
      incoming += line.quantity;
  }
  return onHand + incoming;
}
