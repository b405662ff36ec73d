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
 * today (stock-position.ts), so the alerts hope they come; this says which may not. A line is
 * owed by its order's supplier, else by the article's (`supplierId` of the series). An undated
 * line is never late, and one with nothing left to deliver is not on order.
 */
export function overdueBySupplier(
  series: Iterable<{ supplierId: number | null; lines: readonly OpenOrderLine[] }>,
  today: number,
): Map<number, OverdueDeliveries> {
  const bySupplier = new Map<number, OverdueDeliveries>();
  for (const { supplierId, lines } of series)
    for (const [supplier, since] of lateSince(lines, supplierId, today)) {
      const known = bySupplier.get(supplier);
      bySupplier.set(
        supplier,
        known
          ? { series: known.series + 1, since: Math.min(known.since, since) }
          : { series: 1, since },
      );
    }
  return bySupplier;
}

/** One series' earliest late day, per supplier that owes it goods. */
function lateSince(
  lines: readonly OpenOrderLine[],
  articleSupplier: number | null,
  today: number,
): Map<number, number> {
  const since = new Map<number, number>();
  for (const l of lines) {
    const supplier = l.supplierId ?? articleSupplier;
    if (supplier === null || !(l.quantity > 0) || l.expectedDay === null || l.expectedDay >= today)
      continue;
    since.set(supplier, Math.min(since.get(supplier) ?? l.expectedDay, l.expectedDay));
  }
  return since;
}
