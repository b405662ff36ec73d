import type { OrderPolicy } from "../domain/settings/settings.js";
import {
  type ActualPeriod,
  actualFigures,
  type PeriodFigures,
  replayFigures,
  savingsOf,
  type UnitEconomics,
} from "../domain/simulation/outcome.js";
import { type ReplayInput, replaySeries } from "../domain/simulation/replay-series.js";
import { leadTimeNear } from "../domain/simulation/supplier-lead-time.js";
import type { SeriesOutcome } from "./run-simulation.js";

/**
 * The replay of a slice of series, as plain data so that it can cross to a worker thread: each
 * series' replay input (the supplier's real lead times passed as the orders they come from,
 * not as a function), its unit economics and what really happened.
 */
export interface ReplaySeries {
  articleId: number;
  storeId: number;
  reference: string;
  name: string;
  storeCode: string;
  input: Omit<ReplayInput, "actualLeadTime" | "policy">;
  /** The supplier's orders of the period with the lead time each showed, and the fallback. */
  supplierId: number | null;
  /** The article's own orders of the period, where it has enough of them (else null). */
  articleLeadTimes: { orderedOn: number; days: number }[] | null;
  fallbackLeadTime: number;
  eco: UnitEconomics;
  actual: ActualPeriod;
}

export interface ReplayJob {
  series: ReplaySeries[];
  /** Each supplier's orders of the period: [supplier id, its received orders]. */
  received: [number, { orderedOn: number; days: number }[]][];
  policies: readonly OrderPolicy[];
  carryingCostRate: number;
}

export interface ReplayJobResult {
  rows: SeriesOutcome[];
  /** Days whose demand the first policy's replay estimated (the retailer's stock-out days). */
  estimatedDays: number;
}

export function replayJob(job: ReplayJob): ReplayJobResult {
  const received = new Map(job.received);
  const rows: SeriesOutcome[] = [];
  let estimatedDays = 0;
  for (const s of job.series) {
    const orders =
      s.articleLeadTimes ?? (s.supplierId === null ? [] : (received.get(s.supplierId) ?? []));
    const from = s.input.firstDay;
    const actualLeadTime = (i: number) => leadTimeNear(orders, from + i, s.fallbackLeadTime);
    const actual: PeriodFigures = actualFigures(s.input, s.actual, s.eco);
    for (const policy of job.policies) {
      const outcome = replaySeries({ ...s.input, actualLeadTime, policy });
      const optiflow = replayFigures(outcome, s.eco);
      rows.push({
        articleId: s.articleId,
        storeId: s.storeId,
        reference: s.reference,
        name: s.name,
        storeCode: s.storeCode,
        policy,
        optiflow,
        actual,
        savings: savingsOf(actual, optiflow, s.input.days, job.carryingCostRate),
        estimatedDays: outcome.estimatedDays,
        orderDays: outcome.orders.map((o) => o.day),
      });
      if (policy === job.policies[0]) estimatedDays += outcome.estimatedDays;
    }
  }
  return { rows, estimatedDays };
}
