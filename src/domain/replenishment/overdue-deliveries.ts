import type { OpenOrderLine } from "./stock-position.js";

/** What a supplier owes past its day, as of a morning. */
export interface OverdueDeliveries {
  /** Article × store series with goods on order past their expected day. */
  series: number;
  /** The earliest of those days. */
  since: number;
}

/**
 * Per supplier, the series whose goods on order are past their expected day and the earliest
 * such day: the calls a manager makes this morning. The stock position still counts them as due
 * today (stock-position.ts), so the alerts hope they come; this says which may not. An undated
 * line is never late, and one with nothing left to deliver is not on order.
 */
export function overdueBySupplier(
  series: Iterable<{ supplierId: number | null; lines: readonly OpenOrderLine[] }>,
  today: number,
): Map<number, OverdueDeliveries> {
  const bySupplier = new Map<number, OverdueDeliveries>();
  for (const { supplierId, lines } of series) {
    if (supplierId === null) continue;
    let since: number | null = null;
    for (const l of lines)
      if (l.quantity > 0 && l.expectedDay !== null && l.expectedDay < today)
        since = since === null ? l.expectedDay : Math.min(since, l.expectedDay);
    if (since === null) continue;
    const known = bySupplier.get(supplierId);
    bySupplier.set(
      supplierId,
      known
        ? { series: known.series + 1, since: Math.min(known.since, since) }
        : { series: 1, since },
    );
  }
  return bySupplier;
}
