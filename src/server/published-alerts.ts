import type { Db } from "../data/open.js";
import { type AlertView, readAlerts } from "../data/optiflow/published-results.js";

/**
 * The published run's alerts, read once per run and filtered in memory. Reading them joins five
 * tables over every alert (about half a second for 10,000 articles): done per filter, store or
 * page a manager clicks, each new view waited that long. Published alerts do not change once
 * published (as PublishedResponseCache assumes), so the list read for run N serves every view
 * of run N. Only the newest run is held.
 */
export class PublishedAlerts {
  private held: { runId: number; alerts: readonly AlertView[] } | null = null;

  constructor(private readonly db: Db) {}

  /** Every alert of the run, in the published order (most urgent first). Do not mutate. */
  of(runId: number): readonly AlertView[] {
    if (this.held?.runId !== runId) this.held = { runId, alerts: readAlerts(this.db, runId) };
    return this.held.alerts;
  }

  /** Whether the run's alerts are already held (read by the warm-up, or by a request). */
  holds(runId: number): boolean {
    return this.held?.runId === runId;
  }
}
