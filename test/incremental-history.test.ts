import { copyFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readHistory, TAIL_DAYS } from "../src/batch/incremental-history.js";
import { readHistoryInWorkers, type SalesHistory } from "../src/batch/read-history-in-workers.js";
import { runBatch } from "../src/batch/run-batch.js";
import { backupDatabase } from "../src/data/backup.js";
import { legacyChecksums } from "../src/data/legacy/checksum.js";
import type { Db } from "../src/data/open.js";
import {
  BLOCK_DAYS,
  readHistoryCacheHeader,
} from "../src/data/optiflow/history-cache-repository.js";
import { openOptiflowDatabase } from "../src/data/optiflow/open-optiflow.js";
import { restoreOptiflowTables } from "../src/data/optiflow/restore-optiflow.js";
import { addDays, dayFromIso, isoFromDay } from "../src/domain/calendar/days.js";
import { SELECTION_SERVES_DAYS } from "../src/domain/forecast/pipeline-spec.js";
import { demoDatabase, FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { testConfig } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * Incremental nights (issue 17): the history a night composes from Optiflow's cache and the
 * recent weeks equals a full reading of the legacy tables, series by series and day by day,
 * after late corrections; a change the cache cannot vouch for sends the night back to a full
 * reading; the batch's published forecasts are the same either way.
 */
const temp = createTempDir("optiflow-incremental-");
const HISTORY_DAYS = 3 * 365;
const BUILT_AT = "2026-11-25T00:30:00.000Z";
let master: string;

beforeAll(() => {
  master = demoDatabase(temp.path, "incremental-master.db", 18);
}, 120_000);
afterAll(() => temp.remove());

function copy(name: string): string {
  const path = join(temp.path, name);
  copyFileSync(master, path);
  return path;
}

function windowFor(todayIso: string) {
  const endDay = dayFromIso(todayIso);
  const firstDay = endDay - HISTORY_DAYS;
  return { firstDay, endDay, firstIso: isoFromDay(firstDay), endIso: todayIso };
}

/** The legacy tables changed as the retailer's own system would: a test's own write. */
function retailerWrites(path: string, sql: string, ...params: unknown[]): number {
  const db = new Database(path);
  // As the retailer's own system writes (the demo holds orphan rows on purpose).
  db.pragma("foreign_keys = OFF");
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}

/** A history as plain sorted data: a series of zeros is the same as a series without rows. */
function comparable(history: SalesHistory) {
  const sales: Record<string, number[]> = {};
  for (const [key, values] of history.sales.series)
    if (values.some((v) => v !== 0)) sales[key] = [...values];
  const stores: Record<string, string[]> = {};
  for (const [id, dates] of history.sales.storeDays) stores[id] = [...dates].sort();
  const stockOuts: Record<string, number[]> = {};
  for (const [key, days] of history.stockOuts)
    if (days.length > 0) stockOuts[key] = [...new Set(days)].sort((a, b) => a - b);
  return { sales, stores, stockOuts };
}

async function expectEqualToFull(db: Db, todayIso: string, expectedMode: "incremental" | "full") {
  const window = windowFor(todayIso);
  const { history, report, cacheWritten } = await readHistory(db, window, {
    full: false,
    builtAt: BUILT_AT,
  });
  await cacheWritten;
  expect(report.mode).toBe(expectedMode);
  const full = await readHistoryInWorkers(db, window);
  expect(comparable(history)).toEqual(comparable(full));
  return report;
}

describe("the history a night reads", () => {
  it("is composed from the cache and the recent weeks, equal to a full reading after late corrections", async () => {
    const path = copy("corrections.db");
    const db = openOptiflowDatabase(path, () => new Date(BUILT_AT));
    try {
      const first = await expectEqualToFull(db, FIXTURE_TODAY, "full");
      expect(first.reason).toMatch(/no history cache/);
      expect(first.frozenEnd).toBe(addDays(FIXTURE_TODAY, -TAIL_DAYS));
      // Blocks of days from the window's first day to the frozen end.
      expect(cachedDays(db)).toEqual({
        first: windowFor(FIXTURE_TODAY).firstIso,
        end: addDays(FIXTURE_TODAY, -TAIL_DAYS),
      });
      expect(seriesCount(db)).toBeGreaterThan(30);

      const unchanged = await expectEqualToFull(db, FIXTURE_TODAY, "incremental");
      expect(unchanged.readFrom).toBe(addDays(FIXTURE_TODAY, -TAIL_DAYS));

      // Late corrections inside the re-read weeks: a quantity fixed, a forgotten sale added, an
      // empty shelf recorded afterwards. The cache still holds; the recent weeks carry them.
      const recent = addDays(FIXTURE_TODAY, -5);
      expect(
        retailerWrites(
          path,
          "UPDATE ventes SET quantite = quantite + 17 WHERE date = ? AND article_id = (SELECT MIN(article_id) FROM ventes WHERE date = ?)",
          recent,
          recent,
        ),
      ).toBeGreaterThan(0);
      retailerWrites(
        path,
        "INSERT INTO ventes (article_id, magasin_id, date, quantite, chiffre_affaires, prix_moyen) SELECT article_id, magasin_id, ?, 3, 3 * prix_moyen, prix_moyen FROM ventes WHERE prix_moyen IS NOT NULL LIMIT 1",
        addDays(FIXTURE_TODAY, -2),
      );
      retailerWrites(
        path,
        "UPDATE stocks_historique SET quantite = 0 WHERE date = ? AND rowid = (SELECT MIN(rowid) FROM stocks_historique WHERE date = ? AND quantite > 0)",
        recent,
        recent,
      );
      await expectEqualToFull(db, FIXTURE_TODAY, "incremental");

      // A correction older than the re-read weeks: the checksum sees it, the night reads all.
      const old = addDays(FIXTURE_TODAY, -200);
      expect(
        retailerWrites(
          path,
          "UPDATE ventes SET quantite = quantite + 0.5 WHERE rowid = (SELECT MIN(rowid) FROM ventes WHERE date = ?)",
          old,
        ),
      ).toBe(1);
      const afterOld = await expectEqualToFull(db, FIXTURE_TODAY, "full");
      expect(afterOld.reason).toMatch(/changed since/);
      await expectEqualToFull(db, FIXTURE_TODAY, "incremental");

      // An old empty-shelf day corrected, an old row deleted: seen too.
      retailerWrites(
        path,
        "UPDATE stocks_historique SET quantite = 4 WHERE rowid = (SELECT MIN(rowid) FROM stocks_historique WHERE quantite <= 0 AND date < ?)",
        addDays(FIXTURE_TODAY, -100),
      );
      expect((await expectEqualToFull(db, FIXTURE_TODAY, "full")).reason).toMatch(/changed/);
      retailerWrites(
        path,
        "DELETE FROM ventes WHERE rowid = (SELECT MIN(rowid) FROM ventes WHERE date = ?)",
        addDays(FIXTURE_TODAY, -300),
      );
      expect((await expectEqualToFull(db, FIXTURE_TODAY, "full")).reason).toMatch(/changed/);
    } finally {
      db.close();
    }
  });

  it("moves its frozen end forward as the nights advance, and reads all when asked or when it cannot vouch", async () => {
    const path = copy("advancing.db");
    const db = openOptiflowDatabase(path, () => new Date(BUILT_AT));
    try {
      await expectEqualToFull(db, FIXTURE_TODAY, "full");
      // The same day again: nothing to move.
      expect((await expectEqualToFull(db, FIXTURE_TODAY, "incremental")).refrozen).toBe(false);
      // Nights later, sales days arriving meanwhile: the cache's frozen end moves forward from
      // the same scans, the days that froze appended and the days the window left deleted.
      const later = addDays(FIXTURE_TODAY, 35);
      retailerWrites(
        path,
        "INSERT INTO ventes (article_id, magasin_id, date, quantite, chiffre_affaires, prix_moyen) SELECT article_id, magasin_id, ?, quantite, chiffre_affaires, prix_moyen FROM ventes WHERE date = ?",
        addDays(FIXTURE_TODAY, 30),
        addDays(FIXTURE_TODAY, -1),
      );
      const refrozen = await expectEqualToFull(db, later, "incremental");
      expect(refrozen.refrozen).toBe(true);
      expect(readHistoryCacheHeader(db)?.frozenEnd).toBe(dayFromIso(later) - TAIL_DAYS);
      // The blocks the window left are gone; the first kept one may start before the window.
      const cached = cachedDays(db);
      expect(cached.end).toBe(addDays(later, -TAIL_DAYS));
      expect(cached.first <= windowFor(later).firstIso).toBe(true);
      expect(addDays(cached.first, BLOCK_DAYS) > windowFor(later).firstIso).toBe(true);
      // A sale of a series the cache has never seen, in the days that freeze next night.
      retailerWrites(
        path,
        "INSERT INTO ventes (article_id, magasin_id, date, quantite, chiffre_affaires, prix_moyen) SELECT article_id, magasin_id + 100, ?, 4, chiffre_affaires, prix_moyen FROM ventes WHERE date = ? LIMIT 1",
        addDays(later, -TAIL_DAYS),
        addDays(FIXTURE_TODAY, -1),
      );
      const known = seriesCount(db);
      const next = await expectEqualToFull(db, addDays(later, 1), "incremental");
      expect(next.refrozen).toBe(true);
      expect(seriesCount(db)).toBe(known + 1);
      await expectEqualToFull(db, addDays(later, 2), "incremental");

      const window = windowFor(addDays(later, 1));
      const asked = await readHistory(db, window, { full: true, builtAt: BUILT_AT });
      await asked.cacheWritten;
      expect(asked.report).toMatchObject({ mode: "full", reason: "asked for (--full)" });
      // A run for an earlier day (a replay) cannot use the cache: its window starts before it.
      const earlier = await expectEqualToFull(db, addDays(FIXTURE_TODAY, -60), "full");
      expect(earlier.reason).toMatch(/starts before the cache/);
    } finally {
      db.close();
    }
  });

  it("is left out of the backups; after a restore the next night reads all", async () => {
    const path = copy("restored.db");
    const db = openOptiflowDatabase(path, () => new Date(BUILT_AT));
    try {
      await expectEqualToFull(db, FIXTURE_TODAY, "full");
      const backup = await backupDatabase(db, {
        dir: join(temp.path, "backups"),
        keep: 3,
        now: new Date(BUILT_AT),
      });
      const copied = new Database(backup, { readonly: true });
      const names = copied
        .prepare("SELECT name FROM sqlite_master WHERE name LIKE 'optiflow_history%'")
        .all();
      copied.close();
      expect(names).toEqual([]);
      restoreOptiflowTables(db, backup);
      expect(readHistoryCacheHeader(db)).toBeNull();
      expect((await expectEqualToFull(db, FIXTURE_TODAY, "full")).reason).toMatch(/restore/);
    } finally {
      db.close();
    }
  });
});

describe("an incremental night", () => {
  it("publishes the same forecasts as a full rebuild, series by series, after late corrections; legacy tables untouched", async () => {
    const incremental = copy("night-incremental.db");
    const full = copy("night-full.db");
    const night = (path: string, today: string, fullHistory: boolean) =>
      runBatch({
        config: testConfig(temp.path, path, `${fullHistory ? "full" : "inc"}-${today}`),
        today,
        trigger: "manual",
        now: () => new Date(`${today}T00:30:00Z`),
        logger: pino({ level: "silent" }),
        fullHistory,
      });
    for (const path of [incremental, full]) {
      await night(path, FIXTURE_TODAY, false);
      // Each of the two stores chooses its models on the first night.
      expect(stepCounts(path).selection).toEqual({ selectedTonight: 2, refitted: [] });
    }
    // The retailer's system corrects recent days and adds the day that was missing.
    for (const path of [incremental, full]) {
      retailerWrites(
        path,
        "UPDATE ventes SET quantite = quantite * 2 WHERE date >= ? AND article_id % 3 = 0",
        addDays(FIXTURE_TODAY, -6),
      );
      retailerWrites(
        path,
        "INSERT INTO ventes (article_id, magasin_id, date, quantite, chiffre_affaires, prix_moyen) SELECT article_id, magasin_id, ?, quantite, chiffre_affaires, prix_moyen FROM ventes WHERE date = ?",
        FIXTURE_TODAY,
        addDays(FIXTURE_TODAY, -7),
      );
    }
    const before = legacyOf(incremental);
    const tomorrow = addDays(FIXTURE_TODAY, 1);
    const a = await night(incremental, tomorrow, false);
    const b = await night(full, tomorrow, true);
    expect(a.published && b.published).toBe(true);
    expect(stepCounts(incremental).history).toMatchObject({ mode: "incremental" });
    expect(stepCounts(full).history).toMatchObject({ mode: "full" });
    // Both refit the first night's selection (--full reads the history again; it chooses nothing).
    for (const path of [incremental, full])
      expect(stepCounts(path).selection).toEqual({
        selectedTonight: 0,
        refitted: [1, 2].map((store) => ({ store, selectedOn: FIXTURE_TODAY })),
      });
    const forecastsA = forecastsOf(incremental);
    expect(forecastsA.length).toBeGreaterThan(1000);
    expect(forecastsA).toEqual(forecastsOf(full));
    expect(legacyOf(incremental)).toEqual(before);
    // A selection serves SELECTION_SERVES_DAYS nights; the night after, the store chooses again.
    await night(incremental, addDays(FIXTURE_TODAY, SELECTION_SERVES_DAYS - 1), false);
    expect(stepCounts(incremental).selection).toMatchObject({ selectedTonight: 0 });
    await night(incremental, addDays(FIXTURE_TODAY, SELECTION_SERVES_DAYS), false);
    expect(stepCounts(incremental).selection).toEqual({ selectedTonight: 2, refitted: [] });
  }, 360_000);
});

function seriesCount(db: Db): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM optiflow_history_keys").get() as { n: number }).n;
}

function cachedDays(db: Db) {
  return db
    .prepare("SELECT MIN(first_day) AS first, MAX(end_day) AS end FROM optiflow_history_blocks")
    .get() as { first: string; end: string };
}

function legacyOf(path: string) {
  const db = openOptiflowDatabase(path);
  try {
    return legacyChecksums(db);
  } finally {
    db.close();
  }
}

function lastRunId(db: Database.Database): number {
  return (db.prepare("SELECT MAX(id) AS id FROM optiflow_runs").get() as { id: number }).id;
}

function forecastsOf(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        "SELECT article_id, magasin_id, date, forecast, p10, p50, p90 FROM optiflow_forecasts WHERE run_id = ? ORDER BY article_id, magasin_id, date",
      )
      .raw(true)
      .all(lastRunId(db));
  } finally {
    db.close();
  }
}

function stepCounts(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true });
  try {
    const row = db
      .prepare("SELECT counts FROM optiflow_run_steps WHERE run_id = ? AND step = '2'")
      .get(lastRunId(db)) as { counts: string };
    return JSON.parse(row.counts) as Record<string, unknown>;
  } finally {
    db.close();
  }
}
