/** An open purchase-order line: ordered minus already received, with its expected day. */
export interface OpenOrderLine {
  quantity: number;
  /** Day number of the expected delivery; null when the order has no date (counted as due). */
  expectedDay: number | null;
  /** The order's supplier, who owes it (absent: the article's). */
  supplierId?: number;
  /** The order's number (`commandes.numero`), which the supplier is asked about. */
  order?: string;
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

/** A sent purchase-order line as it went: when it was placed, what it asked, what came when. */
export interface OrderLineHistory {
  orderedDay: number;
  expectedDay: number | null;
  quantity: number;
  /** Receptions of the line: day and units. */
  receipts: readonly { day: number; quantity: number }[];
  /** The day the order was closed as delivered, whatever it lacked; null while it is open. */
  closedDay: number | null;
}

/**
 * The lines that were open at the end of `day`: placed on or before it and not yet closed, less
 * what had been received by then. What the alerts of that day would have counted as on order, so that a day
 * rebuilt for the alert trend compares with the days a batch ran.
 */
export function openOrdersOn(lines: readonly OrderLineHistory[], day: number): OpenOrderLine[] {
  const open: OpenOrderLine[] = [];
  for (const line of lines) {
    if (line.orderedDay > day || (line.closedDay !== null && line.closedDay <= day)) continue;
    let received = 0;
    for (const r of line.receipts) if (r.day <= day) received += r.quantity;
    const remaining = line.quantity - received;
    if (remaining > 0) open.push({ quantity: remaining, expectedDay: line.expectedDay });
  }
  return open;
}
