/** SPEC §4: L = the article's lead time, else the supplier's; at least one day. */
export function leadTimeDays(
  articleLeadTime: number | null,
  supplierLeadTime: number | null,
): number {
  const value = articleLeadTime ?? supplierLeadTime ?? 7;
  return Math.max(1, Math.round(Number.isFinite(value) ? value : 7));
}
