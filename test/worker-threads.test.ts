import { existsSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readHistory as readHistoryFromSources } from "../src/batch/incremental-history.js";
import { readConfig } from "../src/config.js";
import { legacyChecksums } from "../src/data/legacy/checksum.js";
import { findDataAnomalies } from "../src/data/legacy/data-checks.js";
import { readDailySales, readStockOutDays } from "../src/data/legacy/read-sales.js";
import { openDatabaseReadonly } from "../src/data/open.js";
import { openOptiflowDatabase } from "../src/data/optiflow/open-optiflow.js";
import { dayFromIso, isoFromDay } from "../src/domain/calendar/days.js";
import { DEFAULT_PIPELINE } from "../src/domain/forecast/pipeline-spec.js";
import { demoDatabase, FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { dirtyDatabase } from "../src/test-support/dirty-database.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * Work done on worker threads, through the built modules (workers load compiled files): step 2
 * reads sales and stock history one range of rowids per thread, and must equal one thread's reading,
 * orphans and dirty rows included; the server's backups are copied off its event loop.
 */
const BUILT = new URL("../dist/src/batch/read-history-in-workers.js", import.meta.url);
const BUILT_BACKUP = new URL("../dist/src/data/backup-in-worker.js", import.meta.url);
const BUILT_CHECKS = new URL("../dist/src/batch/data-checks-in-workers.js", import.meta.url);
const temp = createTempDir("optiflow-read-sales-");

/**
 * The pool's two tests timed out twice in this file's runs beside other test files (2 of 23
 * runs, 2026-12-02), cause not found: each of their waits is named, so that a hang says where
 * it is stuck instead of only that the test ran out of time.
 */
function within<T>(what: string, work: Promise<T>, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`stuck ${ms / 1000} s: ${what}`)), ms);
  });
  return Promise.race([work, stuck]).finally(() => clearTimeout(timer));
}
afterAll(() => temp.remove());

describe.skipIf(!existsSync(BUILT))("sales read in worker threads", () => {
  it("equals the single-thread reading, series by series and day by day", async () => {
    const { readHistoryInWorkers, rowidRanges } = (await import(
      BUILT.href
    )) as typeof import("../src/batch/read-history-in-workers.js");
    const path = dirtyDatabase(temp.path);
    const db = openDatabaseReadonly(path);
    try {
      const endDay = dayFromIso(FIXTURE_TODAY);
      const firstDay = endDay - 400;
      const job = { firstDay, endDay, firstIso: isoFromDay(firstDay), endIso: FIXTURE_TODAY };
      const single = readDailySales(db, firstDay, endDay, job.firstIso, job.endIso);
      const singleStockOuts = readStockOutDays(db, firstDay, endDay, job.firstIso, job.endIso);
      const history = await readHistoryInWorkers(db, job);
      const parallel = history.sales;
      const sorted = (m: Map<string, number[]>) =>
        [...m.entries()].map(([k, days]) => [k, [...days].sort((a, b) => a - b)]).sort();
      expect(sorted(history.stockOuts)).toEqual(sorted(singleStockOuts));
      expect([...parallel.series.keys()].sort()).toEqual([...single.series.keys()].sort());
      for (const [key, values] of single.series)
        expect(Array.from(parallel.series.get(key) ?? []), key).toEqual(Array.from(values));
      expect(
        [...parallel.storeDays.entries()].map(([id, days]) => [id, [...days].sort()]).sort(),
      ).toEqual([...single.storeDays.entries()].map(([id, days]) => [id, [...days].sort()]).sort());
      // The later threads' blocks go on as spare memory (for the inputs): none holds a series.
      const held = new Set([...parallel.series.values()].map((values) => values.buffer));
      if (availableParallelism() >= 2) expect(history.spare?.length).toBeGreaterThan(0);
      for (const block of history.spare ?? []) expect(held.has(block)).toBe(false);
      const ranges = rowidRanges(db, "ventes", 3);
      expect(ranges).toHaveLength(3);
      expect(ranges[0]?.from).toBe(Number.MIN_SAFE_INTEGER);
      expect(ranges.at(-1)?.to).toBe(Number.MAX_SAFE_INTEGER);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.from).toBe(ranges[i - 1]?.to);
    } finally {
      db.close();
    }
  });
});

const BUILT_INCREMENTAL = new URL("../dist/src/batch/incremental-history.js", import.meta.url);

describe.skipIf(!existsSync(BUILT_INCREMENTAL))("an incremental reading in worker threads", () => {
  it("adds the threads' checksums into the single thread's, and composes the same history", async () => {
    const { readHistory } = (await import(
      BUILT_INCREMENTAL.href
    )) as typeof import("../src/batch/incremental-history.js");
    const path = dirtyDatabase(temp.path, "incremental-workers.db");
    const db = openOptiflowDatabase(path);
    try {
      const endDay = dayFromIso(FIXTURE_TODAY);
      const firstDay = endDay - 400;
      const window = { firstDay, endDay, firstIso: isoFromDay(firstDay), endIso: FIXTURE_TODAY };
      const options = { full: false, builtAt: "2026-11-25T00:30:00Z" };
      // The cache built by the threads (stored by one of its own), vouched for by the calling
      // thread's checksums (sources).
      const full = await readHistory(db, window, options);
      expect(full.report.mode).toBe("full");
      await full.cacheWritten;
      const fromSources = await readHistoryFromSources(db, window, options);
      expect(fromSources.report.mode).toBe("incremental");
      const threaded = await readHistory(db, window, options);
      expect(threaded.report.mode).toBe("incremental");
      const single = readDailySales(db, firstDay, endDay, window.firstIso, window.endIso);
      for (const [key, values] of single.series) {
        expect(Array.from(threaded.history.sales.series.get(key) ?? []), key).toEqual(
          Array.from(values),
        );
        expect(Array.from(fromSources.history.sales.series.get(key) ?? []), key).toEqual(
          Array.from(values),
        );
      }
    } finally {
      db.close();
    }
  });
});

describe.skipIf(!existsSync(BUILT_BACKUP))("a backup on a worker thread", () => {
  it("copies Optiflow's tables off the event loop, leaves the legacy ones untouched, or fails naming the folder", async () => {
    const { backupInWorker } = (await import(
      BUILT_BACKUP.href
    )) as typeof import("../src/data/backup-in-worker.js");
    const path = dirtyDatabase(temp.path, "backup-source.db");
    openOptiflowDatabase(path).close();
    const tables = (p: string) => {
      const db = openDatabaseReadonly(p);
      const names = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all() as string[];
      const sums = names.includes("magasins") ? legacyChecksums(db) : null;
      db.close();
      return { names, sums };
    };
    const before = tables(path);
    const copy = await backupInWorker(path, {
      dir: join(temp.path, "backups"),
      keep: 2,
      now: new Date("2026-11-25T07:00:00Z"),
    });
    // Optiflow never writes the legacy tables: a copy of its own protects all it could damage.
    expect(tables(copy).names).toEqual(
      before.names.filter((n) => n.startsWith("optiflow_") && !n.startsWith("optiflow_history_")),
    );
    expect(tables(path)).toEqual(before);
    const blocked = join(temp.path, "a-file");
    writeFileSync(blocked, "not a folder");
    await expect(
      backupInWorker(path, { dir: blocked, keep: 2, now: new Date("2026-11-25T08:00:00Z") }),
    ).rejects.toThrow(blocked);
  });
});

describe.skipIf(!existsSync(BUILT_CHECKS))("step 1's data checks on worker threads", () => {
  it("find the same anomalies, in the same order, as on one thread", async () => {
    const { findDataAnomaliesInWorkers } = (await import(
      BUILT_CHECKS.href
    )) as typeof import("../src/batch/data-checks-in-workers.js");
    const path = dirtyDatabase(temp.path, "checks.db");
    const db = openDatabaseReadonly(path);
    try {
      const single = findDataAnomalies(db, FIXTURE_TODAY);
      expect(single.length).toBeGreaterThan(5);
      for (const besideMainThread of [false, true])
        expect(await findDataAnomaliesInWorkers(db, FIXTURE_TODAY, { besideMainThread })).toEqual(
          single,
        );
    } finally {
      db.close();
    }
  });
});

const BUILT_FORECAST = new URL("../dist/src/batch/forecast-in-workers.js", import.meta.url);
const BUILT_STORES = new URL("../dist/src/batch/forecast-stores.js", import.meta.url);
const BUILT_READ = new URL("../dist/src/batch/read-series.js", import.meta.url);

describe.skipIf(!existsSync(BUILT_FORECAST))("step 2's forecasts on the worker pool", () => {
  it("equal the calling thread's, series by series and day by day", async () => {
    const { forecastStores } = (await within(
      "importing the compiled forecast-stores",
      import(BUILT_STORES.href),
    )) as typeof import("../src/batch/forecast-stores.js");
    const { loadSeries } = (await within(
      "importing the compiled read-series",
      import(BUILT_READ.href),
    )) as typeof import("../src/batch/read-series.js");
    const path = demoDatabase(temp.path, "pool.db", 18);
    const db = openDatabaseReadonly(path);
    try {
      const settings = {
        country: "FR" as const,
        horizonDays: 63,
        historyDays: 3 * 365,
      };
      const loaded = loadSeries({
        db,
        today: dayFromIso(FIXTURE_TODAY),
        todayIso: FIXTURE_TODAY,
        settings,
        stores: [],
        articles: new Map(),
        series: [],
      });
      const { forecastPool } = (await within(
        "importing the compiled forecast-in-workers",
        import(BUILT_FORECAST.href),
      )) as typeof import("../src/batch/forecast-in-workers.js");
      let progress: number[] = [];
      // Each store's default model of its own: the chain's would be chosen on all 36 series,
      // which would then be finished on this thread and leave the pool nothing to do.
      const spec = {
        ...DEFAULT_PIPELINE,
        selection: { ...DEFAULT_PIPELINE.selection, defaultAcrossStores: false },
      };
      const run = (chunk: number, pool?: ReturnType<typeof forecastPool>) =>
        forecastStores(
          loaded,
          settings.historyDays,
          settings.horizonDays,
          spec,
          (done) => progress.push(done),
          { chunk, pool },
        );
      // Chunks of 5: the 36 series go to the pool as 8 messages; chunks of 1,000: one thread.
      const pooled = await within("forecasting on a new pool", run(5));
      expect(progress.length).toBe(Math.ceil(loaded.length / 5));
      expect(progress.at(-1)).toBe(loaded.length);
      const single = await within("forecasting on this thread", run(1000));
      // Threads kept across two forecasts (the simulation's origins) answer both the same.
      const kept = forecastPool();
      const again: (typeof single)[] = [];
      try {
        progress = [];
        again.push(
          await within("forecasting on a kept pool", run(5, kept)),
          await within("forecasting again on the kept pool", run(5, kept)),
        );
        expect(progress.at(-1)).toBe(loaded.length);
      } finally {
        expect(await within("closing the kept pool", kept.close(), 90_000)).toEqual([]);
      }
      // Threads started ahead of a run that never came still end when the pool is closed.
      const idle = forecastPool();
      const cores = availableParallelism();
      expect(idle.start()).toHaveLength(cores >= 2 ? Math.min(cores, 4) : 0);
      expect(await within("closing a pool started and never used", idle.close(), 90_000)).toEqual(
        [],
      );
      for (const other of [pooled, ...again]) {
        expect([...other.forecasts.keys()]).toEqual([...single.forecasts.keys()]);
        for (const [key, r] of single.forecasts) {
          const p = other.forecasts.get(key)!;
          expect(p.model, key).toBe(r.model);
          expect(Array.from(p.mean), key).toEqual(Array.from(r.mean));
          expect(Array.from(p.heldOut?.forecast ?? []), key).toEqual(
            Array.from(r.heldOut?.forecast ?? []),
          );
        }
        expect(other.calibration).toEqual(single.calibration);
      }
    } finally {
      db.close();
    }
  });
});

const BUILT_REPLAY = new URL("../dist/src/simulation/replay-in-workers.js", import.meta.url);

describe.skipIf(!existsSync(BUILT_REPLAY))("simulate's replay on the worker pool", () => {
  it("gives every series the same rows as the calling thread, in the same order", async () => {
    const { replayInWorkers } = (await within(
      "importing the compiled replay-in-workers",
      import(BUILT_REPLAY.href),
    )) as typeof import("../src/simulation/replay-in-workers.js");
    const { replayJob } = await import("../src/simulation/replay-job.js");
    const { parseWeekdayMask } = await import("../src/domain/calendar/opening-days.js");
    const { createRng, poisson } = await import("../src/demo/random.js");
    const rng = createRng(15);
    const days = 28;
    const firstDay = dayFromIso("2026-10-05");
    const open = Uint8Array.from({ length: days }, (_, i) => (i % 7 === 6 ? 0 : 1));
    const series = Array.from({ length: 120 }, (_, k) => {
      const level = 0.5 + 6 * rng();
      return {
        articleId: k + 1,
        storeId: 1 + (k % 2),
        reference: `A${k}`,
        name: `article ${k}`,
        storeCode: `M${1 + (k % 2)}`,
        supplierId: 1 + (k % 3),
        fallbackLeadTime: 3,
        articleLeadTimes: k % 5 === 0 ? [{ orderedOn: firstDay + 2, days: 4 }] : null,
        eco: { unitCost: 2, shelfPrice: 4, unitMargin: 1.3 },
        actual: {
          endStock: Float64Array.from({ length: days }, () => Math.round(10 * rng())),
          orderLines: k % 4,
          receipts: new Map([[4, 8]]),
        },
        input: {
          days,
          firstDay,
          sales: Float64Array.from({ length: days }, () => poisson(rng, level)),
          stockOut: Uint8Array.from({ length: days }, () => (rng() < 0.05 ? 1 : 0)),
          open,
          initialStock: Math.round(20 * rng()),
          arrivals: new Map([[2, 6]]),
          forecasts: Array.from({ length: 4 }, () => ({
            mean: Float32Array.from({ length: 40 }, () => level),
            phi: 0.3,
          })),
          leadTime: 2 + (k % 4),
          orderDays: parseWeekdayMask("1010100"),
          marginPct: 10,
          serviceLevel: 0.95,
          delays: [1, 2],
          usualLeadTime: k % 2 === 0 ? 1 : null,
          packSize: 1 + (k % 6),
          minimumOrder: 0,
          shelfLifeDays: k % 3 === 0 ? 4 : null,
          safetyStock: null,
          countOpenOrders: true,
        },
      };
    });
    const job = {
      series,
      received: [
        [1, [{ orderedOn: firstDay + 3, days: 6 }]],
        [2, [{ orderedOn: firstDay + 10, days: 1 }]],
      ] as [number, { orderedOn: number; days: number }[]][],
      policies: ["marge", "niveau_de_service"] as const,
      carryingCostRate: 0.2,
    };
    const progress: number[] = [];
    const parallel = await within(
      "replaying on the pool",
      replayInWorkers(job, (done) => progress.push(done), 25),
    );
    const single = replayJob(job);
    expect(parallel.rows).toHaveLength(240);
    expect(parallel.rows.some((r) => r.orderDays.length > 0)).toBe(true);
    expect(parallel.rows.some((r) => r.optiflow.expiredUnits > 0)).toBe(true);
    expect(parallel).toEqual(single);
    expect(progress.at(-1)).toBe(120);
  });
});

const BUILT_RUN = new URL("../dist/src/batch/run-batch.js", import.meta.url);

describe.skipIf(!existsSync(BUILT_RUN))("a first night whose cache cannot be stored", () => {
  it("fails step 2 with the storing thread's error, publishes nothing, and goes on", async () => {
    const { runBatch } = (await within(
      "importing the compiled run-batch",
      import(BUILT_RUN.href),
    )) as typeof import("../src/batch/run-batch.js");
    const path = demoDatabase(temp.path, "cache-fails.db", 18);
    const config = {
      ...readConfig({}),
      dbPath: path,
      backupDir: join(temp.path, "backups-cache-fails"),
      backupKeep: 2,
      batchLogPath: join(temp.path, "cache-fails.log"),
    };
    const night = () =>
      runBatch({
        config,
        today: FIXTURE_TODAY,
        trigger: "cli",
        fullHistory: true,
        now: () => new Date(`${FIXTURE_TODAY}T02:00:00Z`),
      });
    const first = await within("a first night", night());
    expect(first.published).toBe(true);
    // The cache's blocks refused: the thread that stores a full reading's cache fails on
    // them while the main thread fits the store-wide models (awaited before forecasting).
    const db = openOptiflowDatabase(path);
    db.exec(`CREATE TRIGGER refuse_blocks BEFORE INSERT ON optiflow_history_blocks
               BEGIN SELECT RAISE(ABORT, 'history blocks refused'); END`);
    db.close();
    const second = await within("a night whose cache cannot be stored", night());
    const step2 = second.steps.find((s) => s.step === "2");
    expect(step2?.status).toBe("failed");
    expect(step2?.error).toMatch(/history blocks refused/);
    expect(second.published).toBe(false);
    // The steps that do not need the forecasts still ran.
    expect(second.steps.find((s) => s.step === "1")?.status).toBe("succeeded");
  });
});
