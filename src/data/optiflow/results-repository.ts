import type { PeriodLevel } from "../../domain/forecast/level-uncertainty.js";
import type { DataAnomaly } from "../legacy/data-checks.js";
import type { Db } from "../open.js";
import { rowInserter } from "./row-inserter.js";

/** Writes and reads of a run's results: every row carries its run id. */

export interface SeriesRow {
  articleId: number;
  storeId: number;
  model: string;
  demandClass: string;
  backtestWape: number | null;
  backtestError: number;
  backtestActual: number;
  backtestApeSum: number;
  backtestApeWeeks: number;
  /** The held-out window's Σ|F − A| and Σ A (held-out.ts); null when none was held out. */
  heldOutError: number | null;
  heldOutActual: number | null;
  phi: number;
  /** The factor the forecast was rescaled by (calibration.ts); 1 when it was not. */
  calibration: number;
  /** For a series gone quiet (dormancy.ts), its known days without a sale; null otherwise. */
  quietDays: number | null;
  /** For a quiet series, whether `calibration` is the quiet series' factor; null otherwise. */
  quietFactor: boolean | null;
  /** What the level is known to over a period of days (level-uncertainty.ts). */
  periodLevel: PeriodLevel;
  scores: Record<string, number>;
}

export function insertSeries(db: Db, runId: number, rows: readonly SeriesRow[]): void {
  const insert = rowInserter(db, "optiflow_series", [
    "run_id",
    "article_id",
    "magasin_id",
    "model",
    "demand_class",
    "backtest_wape",
    "backtest_error",
    "backtest_actual",
    "backtest_ape_sum",
    "backtest_ape_weeks",
    "held_out_error",
    "held_out_actual",
    "phi",
    "calibration",
    "quiet_days",
    "quiet_factor",
    "period_factor",
    "period_variance",
    "period_floor_rate",
    "period_floor_phi",
    "scores",
  ]);
  db.transaction(() => {
    for (const r of rows) {
      insert.add([
        runId,
        r.articleId,
        r.storeId,
        r.model,
        r.demandClass,
        finiteOrNull(r.backtestWape),
        r.backtestError,
        r.backtestActual,
        r.backtestApeSum,
        r.backtestApeWeeks,
        r.heldOutError,
        r.heldOutActual,
        r.phi,
        r.calibration,
        r.quietDays,
        r.quietFactor === null ? null : Number(r.quietFactor),
        r.periodLevel.factor,
        r.periodLevel.variance,
        r.periodLevel.floor?.rate ?? null,
        r.periodLevel.floor?.phi ?? null,
        JSON.stringify(r.scores, (_, v) =>
          typeof v === "number" && !Number.isFinite(v) ? null : v,
        ),
      ]);
    }
    insert.flush();
  })();
}

export interface ForecastRow {
  articleId: number;
  storeId: number;
  date: string;
  forecast: number;
  p10: number;
  p50: number;
  p90: number;
}

export function insertForecasts(db: Db, runId: number, rows: Iterable<ForecastRow>): number {
  const insert = rowInserter(db, "optiflow_forecasts", [
    "run_id",
    "article_id",
    "magasin_id",
    "date",
    "forecast",
    "p10",
    "p50",
    "p90",
  ]);
  let n = 0;
  db.transaction(() => {
    for (const r of rows) {
      insert.add([runId, r.articleId, r.storeId, r.date, r.forecast, r.p10, r.p50, r.p90]);
      n++;
    }
    insert.flush();
  })();
  return n;
}

export interface AlertRow {
  articleId: number;
  storeId: number;
  level: string;
  onHand: number;
  onOrder: number;
  stockActuel: number;
  leadTime: number;
  salesWithinLeadTime: number | null;
  remaining: number | null;
  threeDaySales: number | null;
  marginPct: number;
  /** Expected day of the earliest open order (null: none, or undated). */
  nextDelivery: string | null;
  /** The units due that day, of `onOrder` in all (null: no such day). */
  nextDeliveryQuantity: number | null;
  /** First day the shelf is empty, from today, orders counted on their day (null: not soon). */
  daysToStockout: number | null;
}

export function insertAlerts(db: Db, runId: number, rows: readonly AlertRow[]): void {
  const insert = db.prepare(
    `INSERT INTO optiflow_alerts (run_id, article_id, magasin_id, level, on_hand, on_order, stock_actuel, lead_time,
       ventes_prevues_delai, reste, ventes_3j, margin_pct, next_delivery, next_delivery_quantity,
       days_to_stockout)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const r of rows) {
      insert.run(
        runId,
        r.articleId,
        r.storeId,
        r.level,
        r.onHand,
        r.onOrder,
        r.stockActuel,
        r.leadTime,
        finiteOrNull(r.salesWithinLeadTime),
        finiteOrNull(r.remaining),
        finiteOrNull(r.threeDaySales),
        r.marginPct,
        r.nextDelivery,
        r.nextDeliveryQuantity,
        r.daysToStockout,
      );
    }
  })();
}

export interface QuantityRow {
  articleId: number;
  storeId: number;
  targetDate: string;
  stockAtTarget: number;
  forecastToTarget: number;
  suggestedQty: number;
  orderBy: string | null;
  valueAtRisk: number;
  abc: "A" | "B" | "C";
  xyz: string;
  serviceLevel: number;
  qtyMargin: number;
  probMargin: number;
  qtyService: number;
  probService: number;
  stockAtDelivery: number;
  leadTimeP50: number | null;
  leadTimeP90: number | null;
  /** Observed delays beyond the planned lead time (days), what Q_s's protection period used. */
  leadTimeDelays: number[];
  notes: unknown[];
}

export function updateAlertQuantities(db: Db, runId: number, rows: readonly QuantityRow[]): void {
  const update = db.prepare(
    `UPDATE optiflow_alerts SET target_date = ?, stock_at_target = ?, forecast_to_target = ?, suggested_qty = ?, order_by = ?,
            value_at_risk = ?, abc = ?, xyz = ?, service_level = ?, qty_margin = ?, prob_margin = ?, qty_service = ?,
            prob_service = ?, stock_at_delivery = ?, lead_time_p50 = ?, lead_time_p90 = ?, lead_time_delays = ?,
            quantity_notes = ?
     WHERE run_id = ? AND article_id = ? AND magasin_id = ?`,
  );
  db.transaction(() => {
    for (const r of rows) {
      update.run(
        r.targetDate,
        r.stockAtTarget,
        r.forecastToTarget,
        r.suggestedQty,
        r.orderBy,
        r.valueAtRisk,
        r.abc,
        r.xyz,
        r.serviceLevel,
        r.qtyMargin,
        r.probMargin,
        r.qtyService,
        r.probService,
        r.stockAtDelivery,
        r.leadTimeP50,
        r.leadTimeP90,
        JSON.stringify(r.leadTimeDelays),
        JSON.stringify(r.notes),
        runId,
        r.articleId,
        r.storeId,
      );
    }
  })();
}

export function updateAlertCoverage(
  db: Db,
  runId: number,
  rows: readonly {
    articleId: number;
    storeId: number;
    daysOfCover: number | null;
    coverage: string;
  }[],
): void {
  const update = db.prepare(
    "UPDATE optiflow_alerts SET days_of_cover = ?, coverage = ? WHERE run_id = ? AND article_id = ? AND magasin_id = ?",
  );
  db.transaction(() => {
    for (const r of rows) update.run(r.daysOfCover, r.coverage, runId, r.articleId, r.storeId);
  })();
}

/** The KPI holding each store's closed days over the horizon (step 2; ClosedDays). */
export const CLOSED_DAYS_KPI = "closed_days";
/** Step A's list of every forecast series, which the Predictions page lists and searches. */
export const PREDICTIONS_SUMMARY_KPI = "predictions_summary";

export function putKpi(db: Db, runId: number, key: string, value: unknown): void {
  db.prepare(
    "INSERT INTO optiflow_kpis (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value",
  ).run(
    runId,
    key,
    JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)),
  );
}

export function getKpi<T>(db: Db, runId: number, key: string): T | null {
  const row = db
    .prepare("SELECT value FROM optiflow_kpis WHERE run_id = ? AND key = ?")
    .get(runId, key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : null;
}

/** A KPI over the runs whose `today` falls in [fromIso, toIso], succeeded or the current one. */
export function kpiHistory<T>(
  db: Db,
  key: string,
  fromIso: string,
  toIso: string,
  currentRunId: number,
): { today: string; value: T }[] {
  const rows = db
    .prepare(
      `SELECT r.today, k.value FROM optiflow_kpis k JOIN optiflow_runs r ON r.id = k.run_id
       WHERE k.key = ? AND r.today BETWEEN ? AND ? AND (r.status = 'succeeded' OR r.id = ?)
       ORDER BY r.today, r.id`,
    )
    .all(key, fromIso, toIso, currentRunId) as { today: string; value: string }[];
  const byDay = new Map<string, T>();
  for (const r of rows) byDay.set(r.today, JSON.parse(r.value) as T);
  return [...byDay.entries()].map(([today, value]) => ({ today, value }));
}

export function insertDataChecks(db: Db, runId: number, anomalies: readonly DataAnomaly[]): void {
  const insert = db.prepare(
    `INSERT INTO optiflow_data_checks (run_id, kind, table_name, count, description, samples, stores)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(run_id, kind, table_name) DO UPDATE SET count = count + excluded.count,
       description = description || ' ; ' || excluded.description,
       stores = CASE WHEN excluded.stores IS NULL THEN stores
         ELSE json_insert(coalesce(stores, '[]'), '$[#]', json_extract(excluded.stores, '$[0]')) END`,
  );
  db.transaction(() => {
    for (const a of anomalies) {
      const stores = a.store === undefined ? null : JSON.stringify([a.store]);
      insert.run(runId, a.kind, a.table, a.count, a.description, JSON.stringify(a.samples), stores);
    }
  })();
}

/** A run's data checks as stored, their samples and stores parsed. */
export function storedDataChecks(db: Db, runId: number) {
  const checks = db
    .prepare(
      "SELECT kind, table_name AS tableName, count, description, samples, stores FROM optiflow_data_checks WHERE run_id = ? ORDER BY kind",
    )
    .all(runId) as {
    kind: string;
    tableName: string;
    count: number;
    description: string;
    samples: string;
    stores: string | null;
  }[];
  return checks.map((c) => ({
    ...c,
    samples: JSON.parse(c.samples) as unknown[],
    // The stores a per-store check concerns; null for the others, and for runs before this
    // field (their description names them, in French).
    stores: c.stores === null ? null : (JSON.parse(c.stores) as string[]),
  }));
}

export function insertEventEffects(
  db: Db,
  runId: number,
  rows: readonly { type: string; categoryId: number; effectPct: number; series: number }[],
): void {
  const insert = db.prepare(
    "INSERT INTO optiflow_event_effects (run_id, event_type, categorie_id, effect_pct, series) VALUES (?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (const r of rows) insert.run(runId, r.type, r.categoryId, r.effectPct, r.series);
  })();
}

/** Model chosen per series in a given run, to tell what changed from one run to the next. */
export function seriesModels(db: Db, runId: number): Map<string, string> {
  const rows = db
    .prepare("SELECT article_id, magasin_id, model FROM optiflow_series WHERE run_id = ?")
    .raw(true)
    .all(runId) as [number, number, string][];
  return new Map(rows.map(([a, m, model]) => [`${a}:${m}`, model]));
}

/** A series' forecast for one week, made before the week began (SPEC §4 precision). */
export interface AsOfWeeklyForecast {
  weekStart: string;
  articleId: number;
  storeId: number;
  forecast: number;
  /** The day of the run that made the forecast (its "today", YYYY-MM-DD). */
  madeOn: string;
}

// A past run's week is a weekly total (runs-repository.ts, compactForecasts); the published
// run's, and the running one's, are summed from its daily rows. A run has one or the other.
// Parameters: run id, Monday, run id, Monday, Monday.
const RUN_WEEK_TOTALS = `
  SELECT article_id, magasin_id, forecast, days FROM optiflow_forecast_weeks
  WHERE run_id = ? AND week_start = ?
  UNION ALL
  SELECT article_id, magasin_id, SUM(forecast) AS forecast, COUNT(*) AS days FROM optiflow_forecasts
  WHERE run_id = ? AND date >= ? AND date <= date(?, '+6 days') GROUP BY article_id, magasin_id`;

/**
 * The as-of forecasts alone, for a caller that already holds the weeks' sales (step 2's
 * history, read for the night anyway): for each article-store and each of the given weeks
 * (their Mondays), the forecast made by the latest successful run dated on or before the week's
 * Monday, summed over the week (series forecast for all seven days only).
 */
export function storedWeeklyForecasts(db: Db, weekStarts: readonly string[]): AsOfWeeklyForecast[] {
  const totals = db.prepare(
    `SELECT article_id AS articleId, magasin_id AS storeId, forecast FROM (${RUN_WEEK_TOTALS}) WHERE days = 7`,
  );
  return forEachWeekRun(db, weekStarts, (run, weekStart) =>
    (
      totals.all(run.id, weekStart, run.id, weekStart, weekStart) as Omit<
        AsOfWeeklyForecast,
        "weekStart" | "madeOn"
      >[]
    ).map((row) => ({ weekStart, ...row, madeOn: run.today })),
  );
}

/**
 * As-of weekly forecasts (SPEC §4 precision), as storedWeeklyForecasts, with the actual units
 * sold that week summed from the sales table.
 */
export function asOfWeeklyForecasts(
  db: Db,
  weekStarts: readonly string[],
): (AsOfWeeklyForecast & { actual: number })[] {
  const sums = db.prepare(
    `WITH f AS (${RUN_WEEK_TOTALS}),
     a AS (
       SELECT article_id, magasin_id, SUM(quantite) AS actual FROM ventes
       WHERE date >= ? AND date <= date(?, '+6 days') AND typeof(quantite) IN ('integer', 'real') GROUP BY article_id, magasin_id)
     SELECT f.article_id AS articleId, f.magasin_id AS storeId, f.forecast, COALESCE(a.actual, 0) AS actual
     FROM f LEFT JOIN a USING (article_id, magasin_id) WHERE f.days = 7`,
  );
  return forEachWeekRun(db, weekStarts, (run, weekStart) =>
    (
      sums.all(run.id, weekStart, run.id, weekStart, weekStart, weekStart, weekStart) as Omit<
        AsOfWeeklyForecast & { actual: number },
        "weekStart" | "madeOn"
      >[]
    ).map((row) => ({ weekStart, ...row, madeOn: run.today })),
  );
}

/** `rowsOf` for each week that a successful run dated on or before its Monday forecast. */
function forEachWeekRun<T>(
  db: Db,
  weekStarts: readonly string[],
  rowsOf: (run: { id: number; today: string }, weekStart: string) => T[],
): T[] {
  const runFor = weekRunReader(db);
  return weekStarts.flatMap((weekStart) => {
    const run = runFor(weekStart);
    return run ? rowsOf(run, weekStart) : [];
  });
}

/**
 * The run a week (its Monday) is scored on: the latest successful run dated on or before it
 * (the stored precision's forecasts, the service promises step 5 checks).
 */
export function weekRunReader(db: Db): (weekStart: string) => { id: number; today: string } | null {
  const runFor = db.prepare(
    "SELECT id, today FROM optiflow_runs WHERE status = 'succeeded' AND today <= ? ORDER BY today DESC, id DESC LIMIT 1",
  );
  return (weekStart) =>
    (runFor.get(weekStart) as { id: number; today: string } | undefined) ?? null;
}

export function readSetting(db: Db, key: string): string | null {
  const row = db.prepare("SELECT value FROM optiflow_settings WHERE key = ?").get(key) as
    | { value: string }
    | undefined;
  return row?.value ?? null;
}

/** Whether Optiflow's migrations have run on this base (a read-only preview may come first). */
export function hasOptiflowTable(db: Db, table: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
    undefined
  );
}

export interface FeedbackRow {
  id: number;
  articleId: number;
  storeId: number;
  date: string;
  direction: string;
  reason: string;
}

export function readFeedback(db: Db): FeedbackRow[] {
  if (!hasOptiflowTable(db, "optiflow_feedback")) return [];
  return db
    .prepare(
      "SELECT id, article_id AS articleId, magasin_id AS storeId, date, direction, reason FROM optiflow_feedback ORDER BY id",
    )
    .all() as FeedbackRow[];
}

export function markFeedbackApplied(db: Db, runId: number, ids: readonly number[]): void {
  const update = db.prepare(
    "UPDATE optiflow_feedback SET applied_run_id = ? WHERE id = ? AND applied_run_id IS NULL",
  );
  db.transaction(() => {
    for (const id of ids) update.run(runId, id);
  })();
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
