import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { runBatch } from "../src/batch/run-batch.js";
import { readConfig } from "../src/config.js";
import { seriesKey } from "../src/data/legacy/day-cache.js";
import { readEmptyStockDays, readRuptureDays } from "../src/data/legacy/read-sales.js";
import { type Db, openDatabaseReadonly } from "../src/data/open.js";
import { getKpi } from "../src/data/optiflow/results-repository.js";
import { addDays, dayFromIso } from "../src/domain/calendar/days.js";
import { type PrecisionFigures, precisionFromWeeklyPairs } from "../src/domain/kpi/precision.js";
import type { ServicePromiseKpi } from "../src/domain/kpi/service-promise.js";

/**
 * Issue 13's check of the figure users read: the demo base replayed over weekly batches, each one
 * run as if on its date (it reads nothing after it). At each, the precision the product displays
 * (step 5: from the held-out window until 8 weeks of stored forecasts exist, from those after)
 * against the precision of that batch's forecasts, then measured on the 4 weeks that followed it;
 * and beside it, how often the service levels promised by the earlier batches held, as the
 * Dashboard then shows it (step 5).
 */
export interface ReplayRow {
  today: string;
  source: PrecisionFigures["source"];
  displayed: number | null;
  measured: number | null;
  /** What the Dashboard shows beside it: the 28-day mean's precision on the same weeks. */
  baseline: number | null;
  /** The Dashboard's check of the service levels promised by earlier batches. */
  promise: ServicePromiseKpi | null;
}

/** Weekly totals of one run's stored forecasts against what then sold, per article and store. */
const FOLLOWING_WEEKS_SQL = `
  WITH weeks(k) AS (VALUES (0), (1), (2), (3)),
  f AS (
    SELECT k, article_id, magasin_id, SUM(forecast) AS forecast, COUNT(*) AS days
    FROM optiflow_forecasts JOIN weeks
    WHERE run_id = ? AND date >= date(?, '+' || (7 * k) || ' days') AND date < date(?, '+' || (7 * k + 7) || ' days')
    GROUP BY k, article_id, magasin_id),
  a AS (
    SELECT k, article_id, magasin_id, SUM(quantite) AS actual
    FROM ventes JOIN weeks
    WHERE date >= date(?, '+' || (7 * k) || ' days') AND date < date(?, '+' || (7 * k + 7) || ' days')
      AND typeof(quantite) IN ('integer', 'real')
    GROUP BY k, article_id, magasin_id)
  SELECT f.k AS k, f.article_id AS articleId, f.magasin_id AS storeId, f.forecast AS forecast,
    COALESCE(a.actual, 0) AS actual
  FROM f LEFT JOIN a USING (k, article_id, magasin_id) WHERE f.days = 7`;

export async function replayPrecision(
  sourceDb: string,
  dir: string,
  lastSalesDay: string,
  batches = 12,
  log: (line: string) => void = () => {},
): Promise<ReplayRow[]> {
  const work = join(dir, "precision-replay");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const dbPath = join(work, "replay.db");
  copyFileSync(sourceDb, dbPath);
  const config = {
    ...readConfig({}),
    dbPath,
    backupDir: join(work, "backups"),
    backupKeep: 1,
    batchLogPath: join(work, "batch.log"),
  };
  // The last batch still has 4 whole weeks of sales after it.
  const last = addDays(lastSalesDay, 1 - 28);
  const todays = Array.from({ length: batches }, (_, k) => addDays(last, -7 * (batches - 1 - k)));
  const rows: ReplayRow[] = [];
  for (const today of todays) {
    const result = await runBatch({
      config,
      today,
      trigger: "manual",
      now: () => new Date(`${today}T00:30:00Z`),
      logger: pino({ level: "silent" }),
    });
    const db = openDatabaseReadonly(dbPath);
    try {
      const shown = getKpi<PrecisionFigures>(db, result.runId, "ml_performance");
      const outs = stockOutWeeks(db, today);
      const pairs = (
        db.prepare(FOLLOWING_WEEKS_SQL).all(result.runId, today, today, today, today) as {
          k: number;
          articleId: number;
          storeId: number;
          forecast: number;
          actual: number;
        }[]
      )
        // As the product scores (SPEC §4): a week holding a stock-out day is left out.
        .filter((p) => !outs.has(`${seriesKey(p.articleId, p.storeId)}/${p.k}`))
        .map((p) => ({ weekStart: String(p.k), forecast: p.forecast, actual: p.actual }));
      const measured = precisionFromWeeklyPairs(pairs);
      rows.push({
        today,
        source: shown?.source ?? "backtest",
        displayed: shown?.precision ?? null,
        measured: measured.weeks === 4 ? measured.precision : null,
        baseline: shown?.baseline?.precision ?? null,
        promise: getKpi<ServicePromiseKpi>(db, result.runId, "service_promise"),
      });
      log(
        `  replay ${today}: displayed ${pctOf(shown?.precision)} (${shown?.source}), then measured ${pctOf(measured.precision)}`,
      );
    } finally {
      db.close();
    }
  }
  rmSync(work, { recursive: true, force: true });
  return rows;
}

/** `key/week` of the series-weeks after `today` holding a stock-out day, as the batch reads them. */
function stockOutWeeks(db: Db, today: string): Set<string> {
  const from = dayFromIso(today);
  const end = addDays(today, 28);
  const outs = new Set<string>();
  for (const days of [
    readRuptureDays(db, from, from + 28, today, end),
    readEmptyStockDays(db, today, end),
  ])
    for (const [key, list] of days)
      for (const day of list) outs.add(`${key}/${Math.floor((day - from) / 7)}`);
  return outs;
}

const pctOf = (v: number | null | undefined) =>
  v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)}%`;

export function replayLines(rows: readonly ReplayRow[]): string[] {
  if (rows.length === 0) return [];
  const gaps = rows
    .filter((r) => r.displayed !== null && r.measured !== null)
    .map((r) => Math.abs((r.displayed as number) - (r.measured as number)));
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted.length > 0 ? (sorted[Math.floor((sorted.length - 1) / 2)] as number) : NaN;
  const worst = sorted.length > 0 ? (sorted[sorted.length - 1] as number) : NaN;
  const points = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} points` : "–");
  return [
    "## Displayed precision against the weeks that followed",
    "",
    `The demo base replayed over ${rows.length} weekly batches, each as if run on its date. *Displayed* = the precision the Dashboard shows after that batch (step 5: the held-out window until 8 weeks of stored forecasts exist, then those); *measured* = 1 − weekly WAPE of that batch's forecasts over the 4 weeks that followed it (weeks with a stock-out left out, as the product scores). Gap: median ${points(median)}, worst ${points(worst)} (target: within 3 points). *28-day mean* = what the Dashboard shows beside the displayed precision: the precision the mean of the last 28 days would have had on the same weeks, forecast on the same days.`,
    "",
    "*Service levels held* = what the Dashboard shows after that batch of the levels promised by the earlier batches (step 5): per ABC class (A 98%, B 95%, C 90%), the share of the periods from a batch's date to its suggestions' target date whose sales stayed within the quantile Q_s was computed from, over the batches of the last 8 weeks whose periods are over, with its 90% range in square brackets (periods clustered by article and store); periods with a stock-out left out (their count in brackets after the periods checked).",
    "",
    "| batch date | source | displayed | measured | gap | 28-day mean, same weeks as displayed | service levels held: A / B / C [90% range] (periods checked, left out) |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.today} | ${r.source} | ${pctOf(r.displayed)} | ${pctOf(r.measured)} | ${
          r.displayed !== null && r.measured !== null
            ? `${((r.displayed - r.measured) * 100).toFixed(1)}`
            : "–"
        } | ${pctOf(r.baseline)} | ${promiseCell(r.promise)} |`,
    ),
    "",
  ];
}

/**
 * A, B and C's held shares with their 90% ranges, then the periods checked and left out over all
 * three.
 */
function promiseCell(promise: ServicePromiseKpi | null): string {
  const rows = promise?.byClass ?? [];
  if (rows.length === 0) return "–";
  // The cell's one "%" follows the three classes.
  const points = (v: number | null | undefined) => pctOf(v).replace("%", "");
  const shares = (["A", "B", "C"] as const).map((abc) => {
    const row = rows.find((r) => r.abc === abc);
    const share = points(row?.heldShare);
    return row?.heldRange
      ? `${share} [${points(row.heldRange.low)}–${points(row.heldRange.high)}]`
      : share;
  });
  const periods = rows.reduce((n, r) => n + r.periods, 0);
  const censored = rows.reduce((n, r) => n + r.censored, 0);
  return `${shares.join(" / ")}% (${periods}, ${censored})`;
}
