import type { Db } from "../open.js";
import { weekRunReader } from "./results-repository.js";
import { rowInserter } from "./row-inserter.js";

/** One night's promise for one article × store (migration 22). */
export interface ServiceCheckRow {
  articleId: number;
  storeId: number;
  /** The target date D: the period runs from the run's day to D, both included (YYYY-MM-DD). */
  periodEnd: string;
  abc: "A" | "B" | "C";
  serviceLevel: number;
  /** q_s: the demand quantile at `serviceLevel` over the period. */
  quantile: number;
}

export function insertServiceChecks(db: Db, runId: number, rows: readonly ServiceCheckRow[]): void {
  const insert = rowInserter(db, "optiflow_service_checks", [
    "run_id",
    "article_id",
    "magasin_id",
    "period_end",
    "abc",
    "service_level",
    "demand_quantile",
  ]);
  db.transaction(() => {
    for (const r of rows)
      insert.add([runId, r.articleId, r.storeId, r.periodEnd, r.abc, r.serviceLevel, r.quantile]);
    insert.flush();
  })();
}

/** A stored promise with the day its period began (its run's day). */
export type StoredServiceCheck = ServiceCheckRow & { periodStart: string };

/**
 * The promises of the runs that made the as-of forecasts of the given weeks (their Mondays):
 * for each, the latest successful run dated on or before it, as for the stored precision (one
 * run a week, so that nightly periods overlapping each other are not counted seven times), and
 * only the periods over before `beforeIso`.
 */
export function storedServiceChecks(
  db: Db,
  weekStarts: readonly string[],
  beforeIso: string,
): StoredServiceCheck[] {
  const runFor = weekRunReader(db);
  const checks = db.prepare(
    `SELECT article_id AS articleId, magasin_id AS storeId, period_end AS periodEnd, abc,
            service_level AS serviceLevel, demand_quantile AS quantile
     FROM optiflow_service_checks WHERE run_id = ? AND period_end < ?`,
  );
  const runs = new Map<number, string>();
  for (const weekStart of weekStarts) {
    const run = runFor(weekStart);
    if (run) runs.set(run.id, run.today);
  }
  return [...runs].flatMap(([runId, today]) =>
    (checks.all(runId, beforeIso) as ServiceCheckRow[]).map((c) => ({ ...c, periodStart: today })),
  );
}

/**
 * The earliest target date among the promises of the given run and of successful runs: while
 * no period is over, the day from which the first can be checked.
 */
export function earliestServicePeriodEnd(db: Db, currentRunId: number): string | null {
  const row = db
    .prepare(
      `SELECT MIN(period_end) AS periodEnd FROM optiflow_service_checks
       WHERE run_id = ? OR run_id IN (SELECT id FROM optiflow_runs WHERE status = 'succeeded')`,
    )
    .get(currentRunId) as { periodEnd: string | null };
  return row.periodEnd;
}
