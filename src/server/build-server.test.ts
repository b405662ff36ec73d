import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduleNightlyBatch } from "../batch/scheduler.js";
import { type Config, readConfig } from "../config.js";
import { ALERT_SORTS } from "../contract/alerts.js";
import { legacyChecksums } from "../data/legacy/checksum.js";
import type { Db } from "../data/open.js";
import { readPublication } from "../data/optiflow/published-results.js";
import { publishedRunId } from "../data/optiflow/runs-repository.js";
import { storeSimulation } from "../data/optiflow/simulations-repository.js";
import {
  FIXTURE_NOW,
  publishedDemo,
  startTestServer,
  type TestServer,
} from "../test-support/published-fixture.js";
import { syntheticReplay } from "../test-support/replay-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { BusyError } from "./api-error.js";
import { buildServer } from "./build-server.js";

const temp = createTempDir("optiflow-server-");
let db: Db;
let writer: Db;
let app: ReturnType<typeof buildServer>;
let server: TestServer;
let config: Config;

beforeAll(async () => {
  ({ config } = await publishedDemo(temp.path, "server.db"));
  server = startTestServer(config);
  ({ app, db, writer } = server);
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

describe("HTTP API", () => {
  it("serves the alerts with computedAt and stale, critical first", async () => {
    const response = await app.inject({ method: "GET", url: "/api/alerts" });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      stale: false,
      computedAt: expect.any(String),
      runId: expect.any(Number),
    });
    const levels: string[] = body.alerts.map((a: { level: string }) => a.level);
    const order = ["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"];
    expect([...levels].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(levels);
    expect(body.counts.CRITIQUE).toBe(levels.filter((l) => l === "CRITIQUE").length);
    expect(body.dataChecks.some((c: { kind: string }) => c.kind === "negative_stock")).toBe(true);
  });

  it("filters by level and store, and rejects bad filters with a 400 naming the field", async () => {
    const filtered = (
      await app.inject({ method: "GET", url: "/api/alerts?level=OK&store=1" })
    ).json();
    expect(
      filtered.alerts.every(
        (a: { level: string; storeId: number }) => a.level === "OK" && a.storeId === 1,
      ),
    ).toBe(true);
    for (const [url, field] of [
      ["/api/alerts?level=PANIC", "querystring/level"],
      ["/api/alerts?store=abc", "querystring/store"],
      ["/api/alerts?colour=red", "querystring/colour"],
    ]) {
      const response = await app.inject({ method: "GET", url: url! });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error).toContain(field);
    }
  });

  it("says in one sentence what a field accepts: one of a few values, or a nullable number", async () => {
    const level = (await app.inject({ method: "GET", url: "/api/alerts?level=PANIC" })).json();
    expect(level).toEqual({
      error: "querystring/level must be one of: CRITIQUE, ATTENTION, OK, SANS_PREVISION",
      code: "invalid_input",
      field: "querystring/level",
    });
    const sort = (await app.inject({ method: "GET", url: "/api/alerts?sort=bogus" })).json();
    expect(sort.error).toBe(`querystring/sort must be one of: ${ALERT_SORTS.join(", ")}`);
    expect(sort.error).not.toMatch(/constant|anyOf/);
    // A nullable number says what its value broke, not also that it is not null.
    const impact = await app.inject({
      method: "POST",
      url: "/api/events",
      payload: {
        name: "x",
        type: "LOCAL",
        start: "2026-12-05",
        end: "2026-12-06",
        impactPct: -150,
      },
    });
    expect(impact.statusCode).toBe(400);
    expect(impact.json().error).toBe("body/impactPct must be >= -100 (or null)");
  });

  it("names a filter's article, store, category or supplier the base lacks, not an empty answer", async () => {
    for (const [url, field, code] of [
      ["/api/alerts?store=99", "querystring/store", "unknown_store"],
      ["/api/alerts?category=999", "querystring/category", "invalid_input"],
      ["/api/alerts?supplier=999", "querystring/supplier", "invalid_input"],
      ["/api/dashboard?store=99", "querystring/store", "unknown_store"],
      ["/api/predictions?article=999&store=1", "querystring/article", "unknown_article"],
      ["/api/predictions?store=99", "querystring/store", "unknown_store"],
      ["/api/simulation?store=99", "querystring/store", "unknown_store"],
      ["/api/simulation/export?store=99", "querystring/store", "unknown_store"],
    ]) {
      const response = await app.inject({ method: "GET", url: url! });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ field, code });
    }
    // The same filters on rows the base holds answer as before.
    for (const url of [
      "/api/alerts?store=1&category=1&supplier=1",
      "/api/dashboard?store=1",
      "/api/predictions?article=1&store=1",
      "/api/simulation?store=1",
    ]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(200);
    }
  });

  it("reads a series' stored floor into the calculator's probability of no stock-out", async () => {
    const url = "/api/alerts/calc?article=1&store=1&date=2026-12-05&margin=10";
    const run = publishedRunId(db);
    const forecasts = writer
      .prepare(
        "SELECT date, forecast FROM optiflow_forecasts WHERE run_id = ? AND article_id = 1 AND magasin_id = 1",
      )
      .all(run) as { date: string; forecast: number }[];
    const setForecast = writer.prepare(
      "UPDATE optiflow_forecasts SET forecast = ? WHERE run_id = ? AND article_id = 1 AND magasin_id = 1 AND date = ?",
    );
    const setFloor = writer.prepare(
      "UPDATE optiflow_series SET period_floor_rate = ?, period_floor_phi = ? WHERE run_id = ? AND article_id = 1 AND magasin_id = 1",
    );
    // The probability of no stock-out with the margin quantity (a shelf life may cap Q_s at 0).
    const probability = async () =>
      (await app.inject({ method: "GET", url })).json().results[0].probability as number;
    try {
      // A series forecast at nothing: without a floor, no demand to run out of.
      for (const f of forecasts) setForecast.run(0, run, f.date);
      setFloor.run(null, null, run);
      expect(await probability()).toBe(1);
      setFloor.run(50, 0, run);
      expect(await probability()).toBeLessThan(0.01);
    } finally {
      for (const f of forecasts) setForecast.run(f.forecast, run, f.date);
      setFloor.run(null, null, run);
    }
  });

  it("computes the quantity calculator's result, and refuses a target beyond the horizon", async () => {
    const ok = await app.inject({
      method: "GET",
      url: "/api/alerts/calc?article=1&store=1&date=2026-12-05&margin=10",
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().results[0]).toMatchObject({
      quantity: expect.any(Number),
      formula: expect.stringContaining("Q = max(0"),
    });
    const far = await app.inject({
      method: "GET",
      url: "/api/alerts/calc?article=1&date=2031-01-01&margin=10",
    });
    expect(far.statusCode).toBe(400);
    // An article or a store that does not exist is named, not answered with no result.
    for (const [url, field, code] of [
      [
        "/api/alerts/calc?article=999&date=2026-12-05&margin=10",
        "querystring/article",
        "unknown_article",
      ],
      [
        "/api/alerts/calc?article=1&store=99&date=2026-12-05&margin=10",
        "querystring/store",
        "unknown_store",
      ],
    ]) {
      const unknown = await app.inject({ method: "GET", url: url! });
      expect(unknown.statusCode, url).toBe(400);
      expect(unknown.json()).toMatchObject({ field, code });
    }
    // Named as the request names it.
    expect(far.json()).toMatchObject({
      code: "date_beyond_horizon",
      field: "querystring/date",
      error: expect.stringMatching(/^querystring\/date /),
    });
  });

  it("serves the dashboard and predictions pages' data", async () => {
    const dashboard = (await app.inject({ method: "GET", url: "/api/dashboard" })).json();
    expect(dashboard.health.alerts).toBeDefined();
    expect(dashboard.trend.length).toBeGreaterThan(0);
    const predictions = (
      await app.inject({ method: "GET", url: "/api/predictions?article=1&store=1" })
    ).json();
    expect(predictions.forecasts.length).toBeGreaterThanOrEqual(60);
    expect(predictions.accuracy.source).toBe("backtest");
  });
});

describe("user input", () => {
  it("records a declared event and feedback, after a backup, and leaves the legacy tables identical", async () => {
    const before = legacyChecksums(db);
    const created = await app.inject({
      method: "POST",
      url: "/api/events",
      payload: {
        name: "Fête du quartier",
        type: "LOCAL",
        start: "2026-12-05",
        end: "2026-12-06",
        storeId: 1,
        impactPct: 30,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const events = (await app.inject({ method: "GET", url: "/api/events" })).json().events;
    expect(events[0]).toMatchObject({ name: "Fête du quartier", type: "LOCAL", impactPct: 30 });
    const feedback = await app.inject({
      method: "POST",
      url: "/api/feedback",
      payload: {
        articleId: 1,
        storeId: 1,
        date: "2026-11-20",
        direction: "TROP_HAUT",
        reason: "RUPTURE",
      },
    });
    expect(feedback.statusCode).toBe(201);
    expect(legacyChecksums(db)).toEqual(before);
    const audit = writer.prepare("SELECT action FROM optiflow_audit ORDER BY id").all() as {
      action: string;
    }[];
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["declare_event", "forecast_feedback"]),
    );
  });

  it("rejects bad input with a 400 naming the field, and writes nothing", async () => {
    const count = () =>
      (writer.prepare("SELECT COUNT(*) AS n FROM optiflow_events").get() as { n: number }).n;
    const before = count();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: "x", type: "LOCAL", start: "2026-12-05", end: "2026-12-01" }, /end/],
      [{ name: "x", type: "LOCAL", start: "2026-02-30", end: "2026-03-01" }, /start/],
      [{ name: "", type: "LOCAL", start: "2026-12-05", end: "2026-12-06" }, /name/],
      [{ name: "x", type: "local; DROP TABLE", start: "2026-12-05", end: "2026-12-06" }, /type/],
      [
        { name: "x", type: "LOCAL", start: "2026-12-05", end: "2026-12-06", impactPct: "lots" },
        /impactPct/,
      ],
    ];
    for (const [payload, field] of cases) {
      const response = await app.inject({ method: "POST", url: "/api/events", payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error).toMatch(field);
    }
    expect(count()).toBe(before);
  });
});

describe("cached answers", () => {
  it("serves gzip to clients that accept it, with the same content", async () => {
    const plain = await app.inject({ method: "GET", url: "/api/dashboard" });
    const zipped = await app.inject({
      method: "GET",
      url: "/api/dashboard",
      headers: { "accept-encoding": "gzip, br" },
    });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString())).toEqual(plain.json());
  });

  it("turns stale when the clock passes 24 hours, even for a cached answer", async () => {
    let clock = FIXTURE_NOW;
    const timed = buildServer({
      db,
      writeDb: () => writer,
      config: { ...readConfig({}), dbPath: "unused" },
      now: () => clock,
      publication: () => readPublication(db, clock, 24),
      nextBatch: () => null,
    });
    expect((await timed.inject({ method: "GET", url: "/api/alerts" })).json().stale).toBe(false);
    clock = new Date(clock.getTime() + 3 * 86_400_000);
    expect((await timed.inject({ method: "GET", url: "/api/alerts" })).json().stale).toBe(true);
    await timed.close();
  });
});

describe("store selector", () => {
  it("serves each store's dashboard, whose counts add up to all stores'", async () => {
    const all = (await app.inject({ method: "GET", url: "/api/dashboard" })).json();
    const stores = [1, 2].map(async (id) =>
      (await app.inject({ method: "GET", url: `/api/dashboard?store=${id}` })).json(),
    );
    const [one, two] = await Promise.all(stores);
    for (const level of ["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"]) {
      expect(one.health.alerts[level] + two.health.alerts[level]).toBe(all.health.alerts[level]);
    }
    expect(one.health.stockValue + two.health.stockValue).toBeCloseTo(all.health.stockValue, 6);
    expect(one.urgencies.every((u: { storeId: number }) => u.storeId === 1)).toBe(true);
  });
});

describe("draft order lines", () => {
  it("adds, updates, lists and removes lines, shared through the database", async () => {
    const pack = (
      db.prepare("SELECT colisage AS pack FROM articles WHERE id = 2").get() as { pack: number }
    ).pack;
    const put = await app.inject({
      method: "PUT",
      url: "/api/orders/lines",
      payload: { articleId: 2, storeId: 1, quantity: pack },
    });
    expect(put.statusCode, put.body).toBe(200);
    await app.inject({
      method: "PUT",
      url: "/api/orders/lines",
      payload: { articleId: 2, storeId: 1, quantity: 3 * pack },
    });
    const lines = (await app.inject({ method: "GET", url: "/api/orders/lines" })).json().lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      articleId: 2,
      storeId: 1,
      quantity: 3 * pack,
      storeCode: "MAG01",
      reference: "ART-000002",
    });
    // Not a whole number of packs: refused, naming the two nearest quantities, nothing changed.
    const refused = await app.inject({
      method: "PUT",
      url: "/api/orders/lines",
      payload: { articleId: 2, storeId: 1, quantity: pack + 1 },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: "not_pack_multiple", field: "body/quantity" });
    expect(refused.json().error).toContain(`${pack} or ${2 * pack}`);
    const removed = await app.inject({ method: "DELETE", url: "/api/orders/lines/2/1" });
    expect(removed.json().lines).toEqual([]);
  });

  it("rejects unknown articles, zero or negative quantities, with a 400", async () => {
    for (const payload of [
      { articleId: 99999, storeId: 1, quantity: 3 },
      { articleId: 2, storeId: 1, quantity: 0 },
      { articleId: 2, storeId: 1, quantity: -4 },
      { articleId: 2, storeId: 1 },
    ]) {
      const response = await app.inject({ method: "PUT", url: "/api/orders/lines", payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error).toMatch(/articleId|quantity/);
    }
  });
});

describe("the Dashboard's measured savings", () => {
  it("follow a store's freshest replay, through the answers' cache", async () => {
    const get = async (url: string) => (await app.inject({ method: "GET", url })).json();
    const stored = (storeId: number | null, savings: [number, number]) =>
      storeSimulation(writer, syntheticReplay(storeId, savings), {
        at: FIXTURE_NOW.toISOString(),
        actor: "test",
        seconds: 1,
      });
    const chain = stored(null, [100, 40]);
    let one = await get("/api/dashboard?store=1");
    expect(one.simulation).toBeNull();
    expect(one.measuredSavings).toMatchObject({
      simulationId: chain,
      partOfChain: true,
      policies: [{ policy: "marge", total: 100 }],
    });
    // A user's replay of store 1 alone: the store's own, newer.
    const own = stored(1, [7, 0]);
    one = await get("/api/dashboard?store=1");
    expect(one.simulation.id).toBe(own);
    expect(one.measuredSavings).toMatchObject({ simulationId: own, partOfChain: false });
    // The next weekly replay of every store: the store's part of it, not its older own.
    const next = stored(null, [-30, 55]);
    one = await get("/api/dashboard?store=1");
    expect(one.simulation).toBeNull();
    expect(one.measuredSavings).toMatchObject({
      simulationId: next,
      partOfChain: true,
      policies: [{ policy: "marge", total: -30 }],
    });
    const all = await get("/api/dashboard");
    expect(all.simulation.id).toBe(next);
    expect(all.measuredSavings).toMatchObject({ partOfChain: false, policies: [{ total: 25 }] });
  });
});

describe("a busy server", () => {
  it("answers 503 with its code and Retry-After, and logs no fault", async () => {
    const faults: unknown[] = [];
    const busy = startTestServer(config, {
      onError: (error) => faults.push(error),
    });
    busy.app.get("/api/busy", async () => {
      throw new BusyError("too_many_downloads", "4 forecast downloads still running", 60);
    });
    try {
      const res = await busy.app.inject({ method: "GET", url: "/api/busy" });
      expect(res.statusCode).toBe(503);
      expect(res.headers["retry-after"]).toBe("60");
      expect(res.json()).toEqual({
        error: "4 forecast downloads still running",
        code: "too_many_downloads",
      });
      expect(faults).toEqual([]);
    } finally {
      await busy.close();
    }
  });
});

describe("nightly schedule", () => {
  it("plans the batch at BATCH_TIME, local time", () => {
    const schedule = scheduleNightlyBatch(
      { hour: 0, minute: 30 },
      async () => {},
      () => {},
    );
    const next = schedule.nextRun();
    schedule.stop();
    expect(next?.getHours()).toBe(0);
    expect(next?.getMinutes()).toBe(30);
    expect(next!.getTime()).toBeGreaterThan(Date.now());
  });
});
