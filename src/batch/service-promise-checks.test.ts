import { afterAll, describe, expect, it } from "vitest";
import { seriesKey } from "../data/legacy/day-cache.js";
import { readEmptyStockDays, readRuptureDays } from "../data/legacy/read-sales.js";
import { type Db, openDatabaseReadonly } from "../data/open.js";
import { getKpi } from "../data/optiflow/results-repository.js";
import { dayFromIso } from "../domain/calendar/days.js";
import { heldShareRange, type ServicePromiseKpi } from "../domain/kpi/service-promise.js";
import { demoDatabase, FIXTURE_TODAY } from "../test-support/demo-fixture.js";
import { testConfig } from "../test-support/published-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { runBatch } from "./run-batch.js";

const temp = createTempDir("optiflow-promise-");
afterAll(() => temp.remove());
const path = demoDatabase(temp.path, "promises.db", 18);

/** Each stored promise of a run with its period's units sold, summed straight from `ventes`. */
const PROMISES_AND_SALES = `
  SELECT c.article_id AS article, c.magasin_id AS store, c.abc, c.service_level AS level,
         c.demand_quantile AS quantile, r.today AS start, c.period_end AS end,
         (SELECT COALESCE(SUM(v.quantite), 0) FROM ventes v
          WHERE v.article_id = c.article_id AND v.magasin_id = c.magasin_id
            AND v.date >= r.today AND v.date <= c.period_end) AS sold
  FROM optiflow_service_checks c JOIN optiflow_runs r ON r.id = c.run_id
  WHERE c.run_id = ? AND c.period_end < ?`;

interface Promised {
  article: number;
  store: number;
  abc: string;
  level: number;
  quantile: number;
  start: string;
  end: string;
  sold: number;
}

/**
 * The step's figures recomputed from the legacy tables alone: a period with a declared stock-out
 * or an empty end-of-day stock is left out, one whose sales exceed its quantile missed.
 */
function expectedFigures(db: Db, promises: readonly Promised[], from: string, to: string) {
  const first = dayFromIso(from);
  const outs = [
    readRuptureDays(db, first, dayFromIso(to), from, to),
    readEmptyStockDays(db, from, to),
  ];
  const byClass = new Map<
    string,
    {
      abc: string;
      serviceLevel: number;
      periods: number;
      held: number;
      censored: number;
      censoredMissed: number;
    }
  >();
  const dailySales = db.prepare(
    `SELECT date, SUM(quantite) AS sold FROM ventes
     WHERE article_id = ? AND magasin_id = ? AND date BETWEEN ? AND ? GROUP BY date`,
  );
  // Per class, each series' held and known periods: the range's clusters.
  const bySeries = new Map<string, Map<string, { held: number; periods: number }>>();
  for (const p of promises) {
    const key = seriesKey(p.article, p.store);
    const [start, end] = [dayFromIso(p.start), dayFromIso(p.end)];
    const outDays = new Set(outs.flatMap((days) => days.get(key) ?? []));
    const censored = [...outDays].some((d) => d >= start && d <= end);
    const line = byClass.get(`${p.abc}:${p.level}`) ?? {
      abc: p.abc,
      serviceLevel: p.level,
      periods: 0,
      held: 0,
      censored: 0,
      censoredMissed: 0,
    };
    byClass.set(`${p.abc}:${p.level}`, line);
    if (censored) {
      line.censored++;
      // What the days with known demand sold: the stock-out days' sales are not demand.
      const days = dailySales.all(p.article, p.store, p.start, p.end) as {
        date: string;
        sold: number;
      }[];
      const known = days
        .filter((d) => !outDays.has(dayFromIso(d.date)))
        .reduce((n, d) => n + d.sold, 0);
      if (known > p.quantile + 1e-9) line.censoredMissed++;
    } else {
      const series = bySeries.get(`${p.abc}:${p.level}`) ?? new Map();
      const count = series.get(key) ?? { held: 0, periods: 0 };
      line.periods++;
      count.periods++;
      if (p.sold <= p.quantile + 1e-9) {
        line.held++;
        count.held++;
      }
      series.set(key, count);
      bySeries.set(`${p.abc}:${p.level}`, series);
    }
  }
  return [...byClass.entries()]
    .map(([k, line]) => ({
      ...line,
      range: heldShareRange([...(bySeries.get(k)?.values() ?? [])]),
    }))
    .sort((a, b) => a.abc.localeCompare(b.abc));
}

describe("the service levels promised by past nights, checked once their periods are over", () => {
  const config = testConfig(temp.path, path, "promises");
  const night = (today: string) =>
    runBatch({ config, today, trigger: "cli", now: () => new Date(`${today}T00:30:00Z`) });

  it("says when the first can be checked, then checks one night a week against the sales", async () => {
    const first = await night("2026-11-02");
    const none = read((db) => getKpi<ServicePromiseKpi>(db, first.runId, "service_promise"));
    const firstEnd = read((db) =>
      db.prepare("SELECT MIN(period_end) FROM optiflow_service_checks").pluck().get(),
    );
    expect(none).toEqual({ byClass: [], firstPeriodEnd: firstEnd });
    expect(firstEnd! > "2026-11-02").toBe(true);

    // Tuesday's run is superseded by the next Monday's before any Monday is its to serve.
    const tuesday = await night("2026-11-03");
    const monday = await night("2026-11-09");
    const last = await night(FIXTURE_TODAY);
    const runs = read((db) =>
      db.prepare("SELECT DISTINCT run_id FROM optiflow_service_checks ORDER BY 1").pluck().all(),
    );
    expect(runs).toEqual([first.runId, monday.runId, last.runId]);
    expect(runs).not.toContain(tuesday.runId);

    const kpi = read((db) => getKpi<ServicePromiseKpi>(db, last.runId, "service_promise"))!;
    expect(kpi.firstPeriodEnd).toBeNull();
    expect(kpi.byClass.map((c) => [c.abc, c.serviceLevel])).toEqual([
      ["A", 0.98],
      ["B", 0.95],
      ["C", 0.9],
    ]);
    // Against the legacy tables read here.
    const promises = read((db) =>
      [first.runId, monday.runId].flatMap((id) =>
        db.prepare(PROMISES_AND_SALES).all(id, FIXTURE_TODAY),
      ),
    ) as Promised[];
    const expected = read((db) => expectedFigures(db, promises, "2026-11-02", FIXTURE_TODAY));
    expect(
      kpi.byClass.map(({ heldShare: _, heldRange, ...line }) => ({ ...line, range: heldRange })),
    ).toEqual(expected);
    // The range is wider than one over as many independent periods: misses come by series.
    const c = kpi.byClass.find((line) => line.abc === "C")!;
    const independent = heldShareRange(
      Array.from({ length: c.periods }, (_, i) => ({ held: i < c.held ? 1 : 0, periods: 1 })),
    );
    expect(c.heldRange!.high - c.heldRange!.low).toBeGreaterThan(
      independent!.high - independent!.low,
    );
    const sum = (f: (c: ServicePromiseKpi["byClass"][number]) => number) =>
      kpi.byClass.reduce((n, c) => n + f(c), 0);
    expect(sum((c) => c.periods + c.censored)).toBe(promises.length);
    expect(sum((c) => c.periods - c.held)).toBeGreaterThan(0);
    expect(sum((c) => c.censored)).toBeGreaterThan(0);

    // Each store's figures add up to all stores'.
    const perStore = read((db) =>
      db
        .prepare("SELECT DISTINCT magasin_id FROM optiflow_service_checks")
        .pluck()
        .all()
        .map((store) => getKpi<ServicePromiseKpi>(db, last.runId, `service_promise@${store}`)!),
    );
    expect(perStore.length).toBeGreaterThan(1);
    const periods = perStore.flatMap((k) => k.byClass).reduce((n, c) => n + c.periods, 0);
    expect(periods).toBe(sum((c) => c.periods));
  });
});

function read<T>(use: (db: ReturnType<typeof openDatabaseReadonly>) => T): T {
  const db = openDatabaseReadonly(path);
  try {
    return use(db);
  } finally {
    db.close();
  }
}
