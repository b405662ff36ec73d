import type { OpenOrderLine } from "./stock-position.js";

/** What a supplier owes past its day, as of a morning. */
export interface OverdueDeliveries {
  /** Article × store series with goods on order past their expected day. */
  series: number;
  /** The earliest of those days. */
  since: number;
  /**
   * The late orders' numbers, the longest overdue first (then by number), each once: one order
   * of twelve articles is twelve series but one thing to ask the supplier about. Lines without a
   * number are in `series` only.
   */
  orders: string[];
}

/**
 * Per supplier, the series whose goods on order are past their expected day, the earliest such
 * day and the orders concerned: the calls a manager makes this morning. The stock position still
 * counts them as due today (stock-position.ts), so the alerts hope they come; this says which may
 * not. A line is owed by its order's supplier, else by the article's (`supplierId` of the
 * series). An undated line is never late, and one with nothing left to deliver is not on order.
 */
export function overdueBySupplier(
  series: Iterable<{ supplierId: number | null; lines: readonly OpenOrderLine[] }>,
  today: number,
): Map<number, OverdueDeliveries> {
  const found = new Map<number, { series: number; since: number; orders: Map<string, number> }>();
  for (const { supplierId, lines } of series) {
    const counted = new Set<number>();
    for (const l of lines) {
      const supplier = l.supplierId ?? supplierId;
      if (supplier === null || !isLate(l, today)) continue;
      const day = l.expectedDay as number;
      const f = found.get(supplier) ?? { series: 0, since: day, orders: new Map() };
      found.set(supplier, f);
      if (!counted.has(supplier)) f.series += 1;
      counted.add(supplier);
      f.since = Math.min(f.since, day);
      if (l.order !== undefined) f.orders.set(l.order, Math.min(f.orders.get(l.order) ?? day, day));
    }
  }
  const bySupplier = new Map<number, OverdueDeliveries>();
  for (const [supplier, f] of found)
    bySupplier.set(supplier, {
      series: f.series,
      since: f.since,
      orders: byDayThenNumber(f.orders),
    });
  return bySupplier;
}

/** Undated lines are never late; a line with nothing left to deliver is not on order. */
export function isLate(l: OpenOrderLine, today: number): boolean {
  return l.quantity > 0 && l.expectedDay !== null && l.expectedDay < today;
}

/** "CMD-9" before "CMD-10", as a person reads them. */
const byNumber = new Intl.Collator("fr", { numeric: true });

function byDayThenNumber(orders: ReadonlyMap<string, number>): string[] {
  return [...orders]
    .sort(([a, dayA], [b, dayB]) => dayA - dayB || byNumber.compare(a, b))
    .map(([order]) => order);
}
