import { currentProcessMark, isSameProcessRunning } from "../../concurrency/process-identity.js";
import { dayFromIso, isoFromDay } from "../../domain/calendar/days.js";
import { asOfKeepRanges } from "../../domain/kpi/as-of-retention.js";
import type { Db } from "../open.js";

export type RunStatus = "running" | "succeeded" | "failed" | "abandoned";
export type StepStatus = "pending" | "running" | "succeeded" | "failed" | "skipped";

export interface RunRow {
  id: number;
  today: string;
  trigger: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  publishedAt: string | null;
  pid: number;
  error: string | null;
}

export interface StepRow {
  step: string;
  name: string;
  position: number;
  status: StepStatus;
  startedAt: string | null;
  durationMs: number | null;
  counts: Record<string, unknown> | null;
  error: string | null;
}

export class BatchInProgressError extends Error {
  constructor(
    readonly runId: number,
    readonly since: string,
    readonly pid: number,
  ) {
    super(
      `a batch run is already in progress (run ${runId}, started ${since}, process ${pid}); wait for it to finish`,
    );
    this.name = "BatchInProgressError";
  }
}

/** Tables holding a run's results: cleaned when a run is abandoned or pruned. */
const RESULT_TABLES = [
  "optiflow_series",
  "optiflow_forecasts",
  "optiflow_forecast_weeks",
  "optiflow_alerts",
  "optiflow_kpis",
  "optiflow_data_checks",
  "optiflow_event_effects",
  "optiflow_service_checks",
] as const;

/**
 * Takes the single batch lock and creates the run. A lock left by a process that no longer
 * exists (a batch killed with kill -9), or whose pid now belongs to another process (after a
 * reboot), is taken over: its run is marked abandoned and its unpublished rows deleted, so the
 * next run starts clean.
 */
export function startRun(
  db: Db,
  today: string,
  trigger: string,
  nowIso: string,
  pid = process.pid,
  processMark = currentProcessMark(),
): number {
  return db
    .transaction(() => {
      const lock = db
        .prepare(
          "SELECT run_id AS runId, pid, started_at AS startedAt, process_start AS mark FROM optiflow_batch_lock WHERE id = 1",
        )
        .get() as
        | { runId: number; pid: number; startedAt: string; mark: string | null }
        | undefined;
      if (lock) {
        if (lock.pid !== pid && isSameProcessRunning(lock.pid, lock.mark))
          throw new BatchInProgressError(lock.runId, lock.startedAt, lock.pid);
        abandonRun(
          db,
          lock.runId,
          nowIso,
          "the process running it stopped before the end (killed or crashed)",
        );
        db.prepare("DELETE FROM optiflow_batch_lock WHERE id = 1").run();
      }
      for (const { id } of db
        .prepare("SELECT id FROM optiflow_runs WHERE status = 'running'")
        .all() as { id: number }[]) {
        abandonRun(db, id, nowIso, "found unfinished without a lock");
      }
      const runId = Number(
        db
          .prepare(
            "INSERT INTO optiflow_runs (today, trigger, status, started_at, pid) VALUES (?, ?, 'running', ?, ?)",
          )
          .run(today, trigger, nowIso, pid).lastInsertRowid,
      );
      db.prepare(
        "INSERT INTO optiflow_batch_lock (id, run_id, pid, started_at, process_start) VALUES (1, ?, ?, ?, ?)",
      ).run(runId, pid, nowIso, processMark);
      return runId;
    })
    .immediate();
}

function abandonRun(db: Db, runId: number, nowIso: string, reason: string): void {
  db.prepare(
    "UPDATE optiflow_runs SET status = 'abandoned', finished_at = ?, error = ? WHERE id = ? AND status = 'running'",
  ).run(nowIso, reason, runId);
  if (publishedRunId(db) === runId) return;
  deleteRunResults(db, runId);
}

export function deleteRunResults(db: Db, runId: number): void {
  // Table names come from the fixed RESULT_TABLES list.
  for (const table of RESULT_TABLES) db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(runId);
}

export function finishRun(
  db: Db,
  runId: number,
  status: RunStatus,
  nowIso: string,
  error: string | null,
): void {
  db.transaction(() => {
    db.prepare("UPDATE optiflow_runs SET status = ?, finished_at = ?, error = ? WHERE id = ?").run(
      status,
      nowIso,
      error,
      runId,
    );
    db.prepare("DELETE FROM optiflow_batch_lock WHERE id = 1 AND run_id = ?").run(runId);
  })();
}

/** SPEC §2.4: the one UPDATE that makes a run the one pages show. */
export function publishRun(db: Db, runId: number, nowIso: string): void {
  db.transaction(() => {
    db.prepare("UPDATE optiflow_runs SET published_at = ? WHERE id = ?").run(nowIso, runId);
    db.prepare(
      "INSERT INTO optiflow_publication (id, run_id, published_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET run_id = excluded.run_id, published_at = excluded.published_at",
    ).run(runId, nowIso);
  })();
}

export function publishedRunId(db: Db): number | null {
  const row = db.prepare("SELECT run_id AS runId FROM optiflow_publication WHERE id = 1").get() as
    | { runId: number }
    | undefined;
  return row?.runId ?? null;
}

export function recordSteps(
  db: Db,
  runId: number,
  steps: readonly { id: string; name: string }[],
): void {
  const insert = db.prepare(
    "INSERT INTO optiflow_run_steps (run_id, step, name, position, status) VALUES (?, ?, ?, ?, 'pending')",
  );
  db.transaction(() => {
    for (const [i, s] of steps.entries()) insert.run(runId, s.id, s.name, i);
  })();
}

export function updateStep(
  db: Db,
  runId: number,
  step: string,
  update: {
    status: StepStatus;
    startedAt?: string;
    durationMs?: number;
    counts?: Record<string, unknown>;
    error?: string;
  },
): void {
  db.prepare(
    `UPDATE optiflow_run_steps SET status = ?, started_at = COALESCE(?, started_at), duration_ms = COALESCE(?, duration_ms),
            counts = COALESCE(?, counts), error = COALESCE(?, error) WHERE run_id = ? AND step = ?`,
  ).run(
    update.status,
    update.startedAt ?? null,
    update.durationMs ?? null,
    update.counts ? JSON.stringify(update.counts) : null,
    update.error ?? null,
    runId,
    step,
  );
}

const RUN_COLUMNS =
  "id, today, trigger, status, started_at AS startedAt, finished_at AS finishedAt, published_at AS publishedAt, pid, error";

export function getRun(db: Db, runId: number): RunRow | null {
  return (
    (db.prepare(`SELECT ${RUN_COLUMNS} FROM optiflow_runs WHERE id = ?`).get(runId) as
      | RunRow
      | undefined) ?? null
  );
}

export function latestRun(db: Db): RunRow | null {
  return (
    (db.prepare(`SELECT ${RUN_COLUMNS} FROM optiflow_runs ORDER BY id DESC LIMIT 1`).get() as
      | RunRow
      | undefined) ?? null
  );
}

export function runSteps(db: Db, runId: number): StepRow[] {
  const rows = db
    .prepare(
      `SELECT step, name, position, status, started_at AS startedAt, duration_ms AS durationMs, counts, error
       FROM optiflow_run_steps WHERE run_id = ? ORDER BY position`,
    )
    .all(runId) as (Omit<StepRow, "counts"> & { counts: string | null })[];
  return rows.map((r) => ({
    ...r,
    counts: r.counts ? (JSON.parse(r.counts) as Record<string, unknown>) : null,
  }));
}

/** The ordering policy a run's suggestions follow, as its step 4 reported it (null before). */
export function publishedOrderPolicy(db: Db, runId: number): string | null {
  const policy = runSteps(db, runId).find((s) => s.step === "4")?.counts?.policy;
  return typeof policy === "string" ? policy : null;
}

/**
 * Keeps the results of the newest runs (KPIs, data checks, steps: the trend and history read
 * them); the published run keeps all of its own, and it alone its alerts and per-series results.
 * KPIs were once never deleted: 3.3 MB a night on 10,000 articles (the Predictions page's
 * summary), copied by every backup.
 * Forecasts are kept whole for the published run only; every other run keeps the calendar
 * weeks its forecasts are scored on by steps 5 and B (as-of-retention.ts: one week per nightly
 * run), as one weekly total per series, for `keepForecastRunsDays`. A 10,000-article night
 * writes 630,000 forecast rows (63 days per series); keeping whole horizons for 14 runs held
 * nearly 9 million of them, one week of daily rows per run 70,000, its weekly totals 10,000.
 * The service promises step 4 stores (optiflow_service_checks) are kept by the same runs.
 */
export function pruneOldRuns(
  db: Db,
  keepRuns: number,
  keepForecastRunsDays: number,
  todayIso: string,
  currentRunId: number | null = null,
): void {
  const published = publishedRunId(db);
  const old = db
    .prepare(
      "SELECT id FROM optiflow_runs WHERE id NOT IN (SELECT id FROM optiflow_runs ORDER BY id DESC LIMIT ?)",
    )
    .all(keepRuns) as { id: number }[];
  // A run's KPIs go with its other results, unless step 8's trend may still read them.
  const oldKpis = db.prepare(
    "DELETE FROM optiflow_kpis WHERE run_id = ? AND (SELECT today FROM optiflow_runs WHERE id = ?) < date(?, ?)",
  );
  for (const { id } of old) {
    if (id === published) continue;
    for (const table of RESULT_TABLES) {
      if (KEPT_APART.has(table)) continue;
      db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(id);
    }
    oldKpis.run(id, id, todayIso, `-${TREND_KPI_DAYS} days`);
  }
  // Table names come from the fixed list above.
  for (const table of ["optiflow_forecasts", "optiflow_forecast_weeks", "optiflow_service_checks"])
    db.prepare(
      `DELETE FROM ${table} WHERE run_id IN (SELECT id FROM optiflow_runs WHERE today < date(?, ?))`,
    ).run(todayIso, `-${keepForecastRunsDays} days`);
  compactForecasts(db, published, currentRunId, todayIso, keepForecastRunsDays);
  // What is only ever read for the published run — its alerts and per-series results (the
  // pages; step C compares tonight's models with the published run's) and the Predictions
  // page's summary — is dropped once a run is neither published nor running. The alerts and
  // series rows alone are 5.5 MB a night on 10,000 articles: 14 runs of them were 77 MB, which
  // every backup copied (0.2–0.3 s a night).
  const superseded = `run_id IS NOT ? AND run_id IS NOT ?
       AND run_id IN (SELECT id FROM optiflow_runs WHERE status <> 'running')`;
  for (const table of ["optiflow_alerts", "optiflow_series"])
    db.prepare(`DELETE FROM ${table} WHERE ${superseded}`).run(published, currentRunId);
  db.prepare(`DELETE FROM optiflow_kpis WHERE key = 'predictions_summary' AND ${superseded}`).run(
    published,
    currentRunId,
  );
}

/**
 * Step 8's alert trend reads the health KPIs of the runs of the last 7 days: a run's KPIs are
 * kept that long even when more than `keepRuns` runs were made since (reruns of a day).
 */
export const TREND_KPI_DAYS = 7;

/**
 * Forecasts and service promises are kept by the runs' age (`keepForecastRunsDays`), KPIs by
 * TREND_KPI_DAYS too.
 */
const KEPT_APART = new Set<string>([
  "optiflow_forecasts",
  "optiflow_forecast_weeks",
  "optiflow_kpis",
  "optiflow_service_checks",
]);

/**
 * Every run but the published one (and the one being written) keeps only the weeks the stored
 * precision scores it on, as weekly totals (optiflow_forecast_weeks): its daily rows of those
 * weeks are summed the way asOfWeeklyForecasts summed them, then deleted, in one transaction.
 */
function compactForecasts(
  db: Db,
  published: number | null,
  currentRunId: number | null,
  todayIso: string,
  keepDays: number,
): void {
  const runs = db.prepare("SELECT id, today, status FROM optiflow_runs").all() as {
    id: number;
    today: string;
    status: RunStatus;
  }[];
  const today = dayFromIso(todayIso);
  // Only succeeded runs are scored (asOfWeeklyForecasts); the run publishing now will be one.
  const scored = runs
    .filter((r) => r.status === "succeeded" || r.id === currentRunId)
    .map((r) => ({ id: r.id, today: dayFromIso(r.today) }));
  const keep = asOfKeepRanges(scored, today - keepDays, today + 7);
  const sumWeek = db.prepare(
    `INSERT OR REPLACE INTO optiflow_forecast_weeks (run_id, week_start, article_id, magasin_id, forecast, days)
     SELECT run_id, ?, article_id, magasin_id, SUM(forecast), COUNT(*) FROM optiflow_forecasts
     WHERE run_id = ? AND date >= ? AND date <= date(?, '+6 days') GROUP BY article_id, magasin_id`,
  );
  const weeksOutside = db.prepare(
    "DELETE FROM optiflow_forecast_weeks WHERE run_id = ? AND (week_start < ? OR week_start > ?)",
  );
  const allWeeks = db.prepare("DELETE FROM optiflow_forecast_weeks WHERE run_id = ?");
  const hasDays = db.prepare("SELECT 1 FROM optiflow_forecasts WHERE run_id = ? LIMIT 1").pluck();
  const allDays = db.prepare("DELETE FROM optiflow_forecasts WHERE run_id = ?");
  // Step 5 checks the promises of the same runs (storedServiceChecks): one run a week.
  const allChecks = db.prepare("DELETE FROM optiflow_service_checks WHERE run_id = ?");
  const compact = db.transaction(
    (runId: number, range: { first: number; last: number } | undefined) => {
      if (!range) {
        allWeeks.run(runId);
        allChecks.run(runId);
      } else {
        weeksOutside.run(runId, isoFromDay(range.first), isoFromDay(range.last));
        // Only a run that still has daily rows (published until tonight) has weeks to sum.
        if (hasDays.get(runId) !== undefined)
          for (let monday = range.first; monday <= range.last; monday += 7) {
            const week = isoFromDay(monday);
            sumWeek.run(week, runId, week, week);
          }
      }
      allDays.run(runId);
    },
  );
  for (const run of runs) {
    if (run.id === published || run.id === currentRunId || run.status === "running") continue;
    compact(run.id, keep.get(run.id));
  }
}
