import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Config, readConfig } from "../config.js";
import { legacyChecksums } from "../data/legacy/checksum.js";
import { openDatabaseReadonly } from "../data/open.js";
import { migrate } from "../data/optiflow/migrate.js";
import { openOptiflowDatabase } from "../data/optiflow/open-optiflow.js";
import { readAlerts, readPublication } from "../data/optiflow/published-results.js";
import { asOfWeeklyForecasts, getKpi, putKpi } from "../data/optiflow/results-repository.js";
import {
  BatchInProgressError,
  finishRun,
  pruneOldRuns,
  publishedRunId,
  publishRun,
  startRun,
} from "../data/optiflow/runs-repository.js";
import { addDays, dayFromIso, weekdayOfDay } from "../domain/calendar/days.js";
import { QUIET_FLOOR } from "../domain/forecast/calibration.js";
import { SUDDEN_STOP } from "../domain/forecast/dormancy.js";
import {
  DEFAULT_PERIOD_LEVEL,
  MIN_LEVEL_SERIES,
  type PeriodLevel,
} from "../domain/forecast/level-uncertainty.js";
import type { PrecisionFigures } from "../domain/kpi/precision.js";
import { demoDatabase, FIXTURE_TODAY } from "../test-support/demo-fixture.js";
import { FIXTURE_BATCH_AT, FIXTURE_NOW, fixtureNow } from "../test-support/published-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { runBatch } from "./run-batch.js";

const temp = createTempDir("optiflow-batch-");
afterAll(() => temp.remove());

function configFor(dbPath: string, name: string): Config {
  return {
    ...readConfig({}),
    dbPath,
    backupDir: join(temp.path, `backups-${name}`),
    backupKeep: 3,
    batchLogPath: join(temp.path, `${name}.log`),
    logLevel: "info",
  };
}

function withReadonly<T>(
  path: string,
  read: (db: ReturnType<typeof openDatabaseReadonly>) => T,
): T {
  const db = openDatabaseReadonly(path);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe("nightly batch on a small demo database", () => {
  const path = demoDatabase(temp.path, "full.db");
  const config = configFor(path, "full");
  let before: ReturnType<typeof legacyChecksums>;

  it("runs every step, publishes, and leaves the legacy tables byte-identical", async () => {
    before = withReadonly(path, legacyChecksums);
    // The nightly run's own clock: publication ages below are measured from it, not from when
    // the tests happen to run (the staleness check failed after 06:00 UTC on the day after).
    const result = await runBatch({
      config,
      today: FIXTURE_TODAY,
      trigger: "cli",
      now: () => new Date(`${FIXTURE_TODAY}T02:00:00Z`),
    });
    expect(result.steps.filter((s) => s.status !== "succeeded")).toEqual([]);
    expect(result.published).toBe(true);
    expect(withReadonly(path, legacyChecksums)).toEqual(before);
    expect(existsSync(result.backupPath)).toBe(true);
    const log = readFileSync(config.batchLogPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const succeeded = log.filter((l) => l.msg === "step succeeded").map((l) => l.step);
    expect([...succeeded].sort()).toEqual(
      ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "A", "B", "C"].sort(),
    );
    // Step 1 runs alongside the steps after 2 (its scans would share the cores with step 2's),
    // and publication waits for it.
    expect(succeeded.indexOf("1")).toBeGreaterThan(succeeded.indexOf("2"));
    expect(succeeded.at(-1)).toBe("11");
  });

  it("serves an alert for every active article in every store, with a forecast over 60+ days", () => {
    withReadonly(path, (db) => {
      const publication = readPublication(db, new Date(`${FIXTURE_TODAY}T06:00:00Z`), 24);
      expect(publication?.stale).toBe(false);
      const alerts = readAlerts(db, publication!.runId);
      const active = (
        db.prepare("SELECT COUNT(*) AS n FROM articles WHERE actif = 1").get() as { n: number }
      ).n;
      expect(alerts).toHaveLength(active * 2);
      expect(new Set(alerts.map((a) => a.level))).toContain("CRITIQUE");
      const horizons = db
        .prepare(
          "SELECT MIN(n) AS min FROM (SELECT COUNT(*) AS n FROM optiflow_forecasts WHERE run_id = ? GROUP BY article_id, magasin_id)",
        )
        .get(publication!.runId) as { min: number };
      expect(horizons.min).toBeGreaterThanOrEqual(60);
      const performance = getKpi<PrecisionFigures>(db, publication!.runId, "ml_performance");
      expect(performance?.source).toBe("backtest");
      expect(performance?.precision).toBeGreaterThan(0.5);
      expectBaselineOnEveryPair(performance);
      expect(
        readPublication(db, new Date(`${addDays(FIXTURE_TODAY, 2)}T06:00:00Z`), 24)?.stale,
      ).toBe(true);
    });
  });

  it("dates each shelf's first empty day with its open orders counted on their day, the on-hand cover kept apart", () => {
    withReadonly(path, (db) => {
      const alerts = readAlerts(db, publishedRunId(db) as number).filter(
        (a) => a.level !== "SANS_PREVISION",
      );
      // Nothing on order: the shelf empties when its on-hand stock does.
      const none = alerts.filter((a) => a.onOrder === 0);
      expect(none.length).toBeGreaterThan(0);
      for (const a of none) expect(a.daysToStockout).toBe(a.daysOfCover);
      // A critical article runs out before an order placed today arrives (SPEC §4): its date
      // must say so, whatever is on order (the old date, the on-hand cover's, could not).
      const critical = alerts.filter((a) => a.level === "CRITIQUE");
      expect(critical.length).toBeGreaterThan(0);
      for (const a of critical) {
        expect(a.daysToStockout).not.toBeNull();
        expect(a.daysToStockout as number).toBeLessThan(a.leadTime);
      }
      // "Commander avant le" is that day less the lead time when it comes after the lead time: the
      // two dates of a row agree, whatever is on order.
      for (const a of alerts) {
        if (a.daysToStockout === null) expect(a.orderBy).toBeNull();
        else if (a.daysToStockout >= a.leadTime)
          expect(a.orderBy).toBe(addDays(FIXTURE_TODAY, a.daysToStockout - a.leadTime));
      }
      // Goods arriving before the shelf empties push the date back; none brings it forward.
      for (const a of alerts)
        if (a.daysOfCover !== null)
          expect(a.daysToStockout === null || a.daysToStockout >= a.daysOfCover).toBe(true);
      expect(
        alerts.some(
          (a) =>
            a.onOrder > 0 &&
            a.daysOfCover !== null &&
            (a.daysToStockout === null || a.daysToStockout > a.daysOfCover),
        ),
      ).toBe(true);
    });
  });

  it("gives the alerts of runs before the stock-out column the on-hand date they showed", () => {
    const copy = join(temp.path, "before-0018.db");
    withReadonly(path, (db) => db.prepare("VACUUM INTO ?").run(copy));
    const db = openOptiflowDatabase(copy);
    try {
      // What an older version left: no column yet, so the migration's backfill runs again.
      db.exec("ALTER TABLE optiflow_alerts DROP COLUMN days_to_stockout");
      db.prepare("DELETE FROM optiflow_migrations WHERE version = 18").run();
      expect(migrate(db)).toEqual([18]);
      const alerts = readAlerts(db, publishedRunId(db) as number);
      expect(alerts.length).toBeGreaterThan(0);
      for (const a of alerts) expect(a.daysToStockout).toBe(a.daysOfCover);
    } finally {
      db.close();
    }
  });

  it("keeps with each series the calibration factor of its store and class, or its store's quiet factor and its days without a sale (1 without a backtest)", () => {
    withReadonly(path, (db) => {
      const runId = publishedRunId(db) as number;
      const rows = db
        .prepare(
          "SELECT magasin_id AS store, demand_class AS class, model, calibration, quiet_days AS quietDays, quiet_factor AS quietFactor FROM optiflow_series WHERE run_id = ?",
        )
        .all(runId) as {
        store: number;
        class: string;
        model: string;
        calibration: number;
        quietDays: number | null;
        quietFactor: number | null;
      }[];
      const step = db
        .prepare("SELECT counts FROM optiflow_run_steps WHERE run_id = ? AND step = '2'")
        .get(runId) as { counts: string };
      // The factors the step reports are the ones applied, and they do rescale.
      const reported = JSON.parse(step.counts).calibration as Record<
        string,
        Record<string, number>
      >;
      for (const r of rows) {
        if (r.model === "category_profile") {
          expect(r.calibration).toBe(1);
          expect(r.quietDays).toBeNull();
          expect(r.quietFactor).toBeNull();
          continue;
        }
        const store = reported[String(r.store)];
        const ofClass = store?.[r.class] ?? store?.store ?? 1;
        expect(ofClass).toBeGreaterThanOrEqual(2 / 3);
        expect(ofClass).toBeLessThanOrEqual(3 / 2);
        if (r.quietDays === null) {
          expect(r.calibration).toBeCloseTo(ofClass, 3);
          expect(r.quietFactor).toBeNull();
          continue;
        }
        // A series gone quiet takes its store's quiet factor (the chain's where the store has
        // too few quiet weeks: reported as the store's), in [QUIET_FLOOR, 1].
        expect(r.quietDays).toBeGreaterThanOrEqual(SUDDEN_STOP.days);
        expect(store?.quiet).toBeGreaterThanOrEqual(QUIET_FLOOR);
        expect(store?.quiet).toBeLessThanOrEqual(1);
        expect(r.calibration).toBeCloseTo(store?.quiet ?? Number.NaN, 3);
        expect(r.quietFactor).toBe(1);
      }
      // A few of the demo's series have gone quiet (5 of 176 at the fixture's date), not most.
      const quiet = rows.filter((r) => r.quietDays !== null).length;
      expect(quiet).toBeGreaterThan(0);
      expect(quiet).toBeLessThan(rows.length / 10);
      expect(rows.some((r) => r.model !== "category_profile" && r.calibration !== 1)).toBe(true);
    });
  });

  it("keeps with each series the period level of its store and class, which step 2 reports", () => {
    withReadonly(path, (db) => {
      const runId = publishedRunId(db) as number;
      const rows = db
        .prepare(
          "SELECT magasin_id AS store, demand_class AS class, period_factor AS factor, period_variance AS variance, period_floor_rate AS floorRate, period_floor_phi AS floorPhi FROM optiflow_series WHERE run_id = ?",
        )
        .all(runId) as {
        store: number;
        class: string;
        factor: number;
        variance: number;
        floorRate: number | null;
        floorPhi: number | null;
      }[];
      const step = db
        .prepare("SELECT counts FROM optiflow_run_steps WHERE run_id = ? AND step = '2'")
        .get(runId) as { counts: string };
      const reported = JSON.parse(step.counts).periodLevels as Record<
        string,
        Record<string, PeriodLevel>
      >;
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        const store = reported[String(r.store)];
        // A class of few series takes its store's level; a store of few series the default.
        const level = store?.[r.class] ?? store?.store ?? DEFAULT_PERIOD_LEVEL;
        expect(r.factor).toBeCloseTo(level.factor, 3);
        expect(r.variance).toBeCloseTo(level.variance, 3);
        // Its floor too, or none (NULL) where none was learned.
        expect(r.floorRate).toBe(level.floor?.rate ?? null);
        expect(r.floorPhi).toBe(level.floor?.phi ?? null);
        expect(r.factor).toBeGreaterThanOrEqual(2 / 3);
        expect(r.factor).toBeLessThanOrEqual(3 / 2);
        expect(r.variance).toBeGreaterThanOrEqual(0);
        expect(r.variance).toBeLessThanOrEqual(1);
      }
      // The fixture's stores hold enough series to learn their own.
      expect(Object.values(reported).every((store) => store.store !== undefined)).toBe(true);
    });
  });

  it("keeps each store's closed days ahead: its weekly closing day and the dates it always closes, each forecast 0", () => {
    withReadonly(path, (db) => {
      const runId = publishedRunId(db) as number;
      const closed = getKpi<Record<string, string[]>>(db, runId, "closed_days");
      const stores = db.prepare("SELECT id, jours_ouverture AS mask FROM magasins").all() as {
        id: number;
        mask: string;
      }[];
      expect(stores.length).toBe(2);
      const { horizon } = db
        .prepare("SELECT COUNT(DISTINCT date) AS horizon FROM optiflow_forecasts WHERE run_id = ?")
        .get(runId) as { horizon: number };
      expect(horizon).toBeGreaterThanOrEqual(42);
      for (const store of stores) {
        const days = closed?.[String(store.id)] ?? [];
        const expected = Array.from({ length: horizon }, (_, h) =>
          addDays(FIXTURE_TODAY, h),
        ).filter(
          (d) =>
            store.mask[weekdayOfDay(dayFromIso(d))] === "0" ||
            d.endsWith("-12-25") ||
            d.endsWith("-01-01"),
        );
        // The demo closes every store on Christmas and New Year's Day, each on its weekly day.
        expect(expected).toContain("2026-12-25");
        expect(expected.length).toBeGreaterThanOrEqual(2 + Math.floor(horizon / 7));
        expect(days).toEqual(expected);
        const placeholders = days.map(() => "?").join(",");
        const sold = db
          .prepare(
            `SELECT COUNT(*) AS n FROM optiflow_forecasts WHERE run_id = ? AND magasin_id = ? AND date IN (${placeholders}) AND (forecast > 0 OR p90 > 0)`,
          )
          .get(runId, store.id, ...days) as { n: number };
        expect(sold.n).toBe(0);
      }
    });
  });

  it("reads a run published before the quiet factor's flag as scaling every quiet series it marked", () => {
    const copy = join(temp.path, "before-0017.db");
    withReadonly(path, (db) => db.prepare("VACUUM INTO ?").run(copy));
    const db = openOptiflowDatabase(copy);
    try {
      const runId = publishedRunId(db) as number;
      // What a run of an older version left: quiet days marked, no flag (migration 0017's NULL).
      db.prepare("UPDATE optiflow_series SET quiet_factor = NULL WHERE run_id = ?").run(runId);
      const alerts = readAlerts(db, runId);
      const quiet = alerts.filter((a) => a.quietDays !== null);
      expect(quiet.length).toBeGreaterThan(0);
      for (const a of quiet) expect(a.quietFactor).toBe(true);
      for (const a of alerts.filter((x) => x.quietDays === null)) expect(a.quietFactor).toBeNull();
    } finally {
      db.close();
    }
  });

  it("goes on after a failing step, skips what depends on it, and keeps the previous publication", async () => {
    const published = withReadonly(path, publishedRunId);
    const result = await runBatch({
      config,
      today: FIXTURE_TODAY,
      trigger: "cli",
      failSteps: ["6"],
      now: () => FIXTURE_BATCH_AT,
    });
    const status = Object.fromEntries(result.steps.map((s) => [s.step, s.status]));
    expect(status).toMatchObject({
      "1": "succeeded",
      "2": "succeeded",
      "6": "failed",
      "7": "skipped",
      "8": "skipped",
      "9": "succeeded",
      "10": "skipped",
      A: "succeeded",
      "11": "skipped",
    });
    expect(result.steps.find((s) => s.step === "8")?.error).toMatch(/6/);
    expect(result.published).toBe(false);
    withReadonly(path, (db) => {
      expect(publishedRunId(db)).toBe(published);
      const publication = readPublication(db, FIXTURE_NOW, 24);
      expect(publication?.lastFailure?.runId).toBe(result.runId);
      expect(publication?.lastFailure?.steps.find((s) => s.step === "6")?.error).toMatch(
        /injected/,
      );
    });
    expect(withReadonly(path, legacyChecksums)).toEqual(before);
  });

  it("refuses a second run while one is in progress, saying since when", async () => {
    const db = openOptiflowDatabase(path);
    // The parent process stands for a live batch holding the lock.
    db.prepare(
      "INSERT INTO optiflow_batch_lock (id, run_id, pid, started_at) VALUES (1, 999, ?, '2026-11-25T00:30:00Z')",
    ).run(process.ppid);
    db.close();
    const options = { config, today: FIXTURE_TODAY, trigger: "cli", now: fixtureNow } as const;
    await expect(runBatch(options)).rejects.toThrow(BatchInProgressError);
    await expect(runBatch(options)).rejects.toThrow(/since|started 2026-11-25T00:30:00Z/);
    const again = openOptiflowDatabase(path);
    again.prepare("DELETE FROM optiflow_batch_lock").run();
    again.close();
  });

  it("takes over a lock whose pid now belongs to another process (reused after a reboot)", () => {
    const db = openOptiflowDatabase(path);
    try {
      // A live pid (the test runner's parent), but not the process that took the lock: another
      // start time than the one recorded.
      db.prepare(
        "INSERT INTO optiflow_batch_lock (id, run_id, pid, started_at, process_start) VALUES (1, 998, ?, '2026-11-25T00:30:00Z', 'proc:1')",
      ).run(process.ppid);
      const runId = startRun(db, FIXTURE_TODAY, "cli", FIXTURE_NOW.toISOString());
      expect(runId).toBeGreaterThan(0);
      finishRun(db, runId, "failed", FIXTURE_NOW.toISOString(), "test");
    } finally {
      db.close();
    }
  });
});

describe("retention", () => {
  it("drops the KPIs of runs beyond the newest 14 once the alert trend no longer reads them, and past runs' page summaries", () => {
    const path = demoDatabase(temp.path, "retention.db", 18);
    const db = openOptiflowDatabase(path, fixtureNow);
    try {
      const today = FIXTURE_TODAY;
      const run = (day: string) => {
        const id = startRun(db, day, "cli", `${day}T00:30:00Z`);
        putKpi(db, id, "health", { day });
        putKpi(db, id, "predictions_summary", [{ day }]);
        finishRun(db, id, "succeeded", `${day}T00:40:00Z`, null);
        return id;
      };
      // Ten nights a month ago (the fourth one still published), then twenty runs yesterday.
      const old = Array.from({ length: 10 }, (_, k) => run(addDays(today, -40 + k)));
      publishRun(db, old[3] as number, `${today}T00:00:00Z`);
      const recent = Array.from({ length: 20 }, () => run(addDays(today, -1)));
      pruneOldRuns(db, 14, 70, today, null);
      const kept = new Set(
        db.prepare("SELECT DISTINCT run_id FROM optiflow_kpis").pluck().all() as number[],
      );
      // Beyond the newest 14 and older than the trend's 7 days: gone, but for the published run.
      expect(old.filter((id) => kept.has(id))).toEqual([old[3]]);
      // Beyond the newest 14 but from yesterday: still read by the trend, kept.
      expect(recent.every((id) => kept.has(id))).toBe(true);
      // The Predictions page's summary is kept for the published run only.
      expect(
        db
          .prepare("SELECT run_id FROM optiflow_kpis WHERE key = 'predictions_summary'")
          .pluck()
          .all(),
      ).toEqual([old[3]]);
    } finally {
      db.close();
    }
  });
});

describe("as-of precision", () => {
  it("scores a past run's week the same once its daily rows are kept as a weekly total", async () => {
    const path = demoDatabase(temp.path, "compacted.db", 18);
    const config = configFor(path, "compacted");
    // A Monday three weeks back: its week's sales are known.
    const monday = "2026-11-02";
    const night = (today: string) =>
      runBatch({ config, today, trigger: "cli", now: () => new Date(`${today}T00:30:00Z`) });
    const first = await night(monday);
    const daily = withReadonly(path, (db) => asOfWeeklyForecasts(db, [monday]));
    expect(daily.length).toBeGreaterThan(10);
    expect(daily.some((p) => p.actual > 0)).toBe(true);
    await night(addDays(monday, 1));
    const { rows, weekly } = withReadonly(path, (db) => ({
      rows: db
        .prepare("SELECT COUNT(*) FROM optiflow_forecasts WHERE run_id = ?")
        .pluck()
        .get(first.runId),
      weekly: asOfWeeklyForecasts(db, [monday]),
    }));
    expect(rows).toBe(0);
    expect(weekly).toEqual(daily);
  });

  it("switches from the backtest to stored forecasts once 8 weeks of them exist", async () => {
    const path = demoDatabase(temp.path, "weekly.db", 18);
    const config = configFor(path, "weekly");
    // Replay nine Monday batches: each stores its forecasts before the week's sales are known.
    const lastMonday = "2026-11-23";
    const sources: string[] = [];
    for (let k = 8; k >= 0; k--) {
      const today = addDays(lastMonday, -7 * k);
      const result = await runBatch({
        config,
        today,
        trigger: "cli",
        now: () => new Date(`${today}T00:30:00Z`),
      });
      expect(result.published).toBe(true);
      sources.push(
        withReadonly(
          path,
          (db) => getKpi<{ source: string }>(db, result.runId, "ml_performance")?.source ?? "",
        ),
      );
    }
    expect(sources.slice(0, 8).every((s) => s === "backtest")).toBe(true);
    expect(sources[8]).toBe("stored");
    const figures = withReadonly(path, (db) =>
      getKpi<PrecisionFigures>(db, publishedRunId(db)!, "ml_performance"),
    );
    expect(figures?.weeks).toBe(8);
    expect(figures?.precision).toBeGreaterThan(0.3);
    expect(figures?.precision).toBeLessThan(1);
    expectBaselineOnEveryPair(figures);
    // Alerts and per-series results are read for the published run only: nine runs, one kept.
    for (const table of ["optiflow_alerts", "optiflow_series"]) {
      const runs = withReadonly(path, (db) =>
        db.prepare(`SELECT DISTINCT run_id FROM ${table}`).pluck().all(),
      );
      expect(runs).toEqual([withReadonly(path, (db) => publishedRunId(db))]);
    }
    // Retention: the published run keeps its daily horizon, every earlier one the week it is
    // scored on, as one weekly total per series (seven days summed).
    const days = withReadonly(path, (db) =>
      db
        .prepare(
          "SELECT run_id AS run, COUNT(DISTINCT date) AS days FROM optiflow_forecasts GROUP BY run_id",
        )
        .all(),
    ) as { run: number; days: number }[];
    expect(days).toHaveLength(1);
    expect(days[0]?.run).toBe(withReadonly(path, (db) => publishedRunId(db)));
    expect(days[0]?.days).toBeGreaterThanOrEqual(60);
    const weeks = withReadonly(path, (db) =>
      db
        .prepare(
          `SELECT w.run_id AS run, r.today, COUNT(DISTINCT w.week_start) AS weeks, MIN(w.week_start) AS week,
                  MIN(w.days) AS minDays, MAX(w.days) AS maxDays, COUNT(*) AS series
           FROM optiflow_forecast_weeks w JOIN optiflow_runs r ON r.id = w.run_id
           GROUP BY w.run_id ORDER BY w.run_id`,
        )
        .all(),
    ) as {
      run: number;
      today: string;
      weeks: number;
      week: string;
      minDays: number;
      maxDays: number;
      series: number;
    }[];
    expect(weeks).toHaveLength(8);
    for (const w of weeks) {
      // Each Monday run is the latest run before its own week.
      expect(w).toMatchObject({ weeks: 1, week: w.today, minDays: 7, maxDays: 7 });
      expect(w.series).toBeGreaterThan(10);
    }
  });
});

/**
 * The 28-day mean beside the precision: made for every pair the precision counts (every series
 * has its history on the day its forecast was made), so both figures are over the same weeks.
 */
function expectBaselineOnEveryPair(figures: PrecisionFigures | null): void {
  const baseline = figures?.baseline;
  expect(baseline?.pairs).toBe(figures?.pairs);
  expect(baseline?.optiflowPrecision).toBeCloseTo(figures?.precision as number, 12);
  expect(baseline?.precision).toBeGreaterThan(0);
  expect(baseline?.precision).toBeLessThan(1);
  expect(baseline?.precision).not.toBeCloseTo(figures?.precision as number, 6);
}

describe("nightly batch on a chain of stores too small for a period level of their own", () => {
  it("gives each store the period level learned on the chain's series together", async () => {
    const path = demoDatabase(temp.path, "small-chain.db", 30);
    const config = configFor(path, "small-chain");
    const result = await runBatch({
      config,
      today: FIXTURE_TODAY,
      trigger: "cli",
      now: () => new Date(`${FIXTURE_TODAY}T02:00:00Z`),
    });
    expect(result.published).toBe(true);
    withReadonly(path, (db) => {
      const runId = publishedRunId(db) as number;
      const perStore = db
        .prepare(
          "SELECT magasin_id AS store, COUNT(*) AS n, MIN(period_factor) AS factor, MAX(period_factor) AS maxFactor FROM optiflow_series WHERE run_id = ? GROUP BY 1",
        )
        .all(runId) as { store: number; n: number; factor: number; maxFactor: number }[];
      const step = db
        .prepare("SELECT counts FROM optiflow_run_steps WHERE run_id = ? AND step = '2'")
        .get(runId) as { counts: string };
      const logged = JSON.parse(step.counts).periodLevels as Record<string, unknown>;
      expect(perStore).toHaveLength(2);
      for (const s of perStore) {
        // Each store alone is under the series a level of its own needs.
        expect(s.n).toBeLessThan(MIN_LEVEL_SERIES);
        // Its series take the chain's level, the same in both stores, not the default.
        expect(s.factor).toBe(s.maxFactor);
        expect(s.factor).toBe(perStore[0]?.factor);
        expect(logged[String(s.store)]).toEqual(logged[String(perStore[0]?.store)]);
      }
      expect(logged[String(perStore[0]?.store)]).toHaveProperty("store");
      expect(perStore[0]?.factor).not.toBe(DEFAULT_PERIOD_LEVEL.factor);
    });
  });
});
