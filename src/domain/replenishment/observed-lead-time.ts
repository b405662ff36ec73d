import type { DeliveryLine, DeliveryLines } from "./delivery-lines.js";

/**
 * Lead times as observed (SPEC §4): from the order date to the first reception of past purchase
 * orders, per supplier and, where the history allows, per article. The planned lead time stays
 * the alert's; the observed delays widen Q_s's protection period (service-level.ts).
 */
export interface DeliveryRecord {
  supplierId: number;
  /** Null for the order as a whole (its first reception of any article). */
  articleId: number | null;
  orderedOn: number;
  /** First reception (day number); null when nothing was received. */
  receivedOn: number | null;
  status: "BROUILLON" | "ENVOYEE" | "PARTIELLE" | "LIVREE" | "ANNULEE" | string;
  /** Ordered and received quantities (articles only), to tell partial deliveries. */
  ordered?: number;
  received?: number;
}

export interface LeadTimeStats {
  observations: number;
  p50: number;
  p90: number;
  planned: number;
  /** Days beyond the planned lead time on each observed delivery (≥ 0), most recent last. */
  delays: number[];
  /** Share of delivered orders that came partially (less than ordered, or PARTIELLE). */
  partialShare: number;
  /** Share of sent orders that were cancelled. */
  cancelledShare: number;
  /** Late: half the deliveries or more come after the planned day, or 1 in 10 two days late. */
  late: boolean;
}

/** Per article, a lead time of its own needs this many deliveries. */
export const MIN_ARTICLE_OBSERVATIONS = 5;
/** The most recent deliveries kept for the delay distribution. */
const MAX_DELAYS = 60;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  ] as number;
}

export function leadTimeStats(
  records: readonly DeliveryRecord[],
  planned: number,
): LeadTimeStats | null {
  const sent = records.filter((r) => r.status !== "BROUILLON");
  const cancelled = sent.filter((r) => r.status === "ANNULEE").length;
  const delivered = sent
    .filter((r) => r.status !== "ANNULEE" && r.receivedOn !== null && r.receivedOn >= r.orderedOn)
    .sort((a, b) => (a.receivedOn as number) - (b.receivedOn as number));
  if (delivered.length === 0) return null;
  const days = delivered.map((r) => (r.receivedOn as number) - r.orderedOn);
  const sorted = [...days].sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5);
  const p90 = percentile(sorted, 0.9);
  const partial = delivered.filter(
    (r) =>
      r.status === "PARTIELLE" ||
      (r.ordered !== undefined && r.received !== undefined && r.received < r.ordered - 1e-9),
  ).length;
  return {
    observations: delivered.length,
    p50,
    p90,
    planned,
    delays: days.slice(-MAX_DELAYS).map((d) => Math.max(0, d - planned)),
    partialShare: partial / delivered.length,
    cancelledShare: sent.length > 0 ? cancelled / sent.length : 0,
    late: p50 > planned || p90 >= planned + 2,
  };
}

/**
 * The lead time a suggestion uses: the article's own with enough deliveries, else its
 * supplier's, else none (deliveries taken as on time).
 */
export function leadTimeFor(
  bySupplier: ReadonlyMap<number, LeadTimeStats>,
  byArticle: ReadonlyMap<string, LeadTimeStats>,
  supplierId: number | null,
  articleId: number,
): LeadTimeStats | null {
  if (supplierId === null) return null;
  const own = byArticle.get(`${supplierId}:${articleId}`);
  if (own && own.observations >= MIN_ARTICLE_OBSERVATIONS) return own;
  return bySupplier.get(supplierId) ?? null;
}

/**
 * Per supplier (from whole orders) and per supplier × article (from order lines), against the
 * planned lead time of each (`planned`: the supplier's; an article's own, when set, for lines).
 */
export function observedLeadTimes(
  orders: readonly DeliveryRecord[],
  lines: DeliveryLines,
  plannedBySupplier: ReadonlyMap<number, number>,
  plannedByArticle: ReadonlyMap<number, number> = new Map(),
): { bySupplier: Map<number, LeadTimeStats>; byArticle: Map<string, LeadTimeStats> } {
  const bySupplier = new Map<number, LeadTimeStats>();
  const bySupplierOrders = new Map<number, DeliveryRecord[]>();
  for (const order of orders) {
    const list = bySupplierOrders.get(order.supplierId);
    if (list) list.push(order);
    else bySupplierOrders.set(order.supplierId, [order]);
  }
  for (const [supplier, records] of bySupplierOrders) {
    const stats = leadTimeStats(records, plannedBySupplier.get(supplier) ?? 7);
    if (stats) bySupplier.set(supplier, stats);
  }
  const byArticle = new Map<string, LeadTimeStats>();
  for (const records of lines.groups()) {
    const { supplierId, articleId } = records[0] as DeliveryLine;
    const planned = plannedByArticle.get(articleId) ?? plannedBySupplier.get(supplierId) ?? 7;
    const stats = leadTimeStats(records, planned);
    if (stats) byArticle.set(`${supplierId}:${articleId}`, stats);
  }
  return { bySupplier, byArticle };
}
