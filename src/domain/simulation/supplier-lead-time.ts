/**
 * The lead time a replayed order gets (issue 15): the one the supplier really showed on its
 * order of that period placed nearest in time (the earlier one on a tie), so that a supplier
 * who was late that month is late in the replay too; without any order in the period, the
 * fallback (its observed median before, else the planned lead time).
 */
export function leadTimeNear(
  received: readonly { orderedOn: number; days: number }[],
  day: number,
  fallback: number,
): number {
  let best: { orderedOn: number; days: number } | null = null;
  for (const r of received) {
    const gap = Math.abs(r.orderedOn - day);
    const bestGap = best === null ? Number.POSITIVE_INFINITY : Math.abs(best.orderedOn - day);
    if (gap < bestGap || (gap === bestGap && best !== null && r.orderedOn < best.orderedOn))
      best = r;
  }
  return best === null ? fallback : best.days;
}
