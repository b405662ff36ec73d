import { get as httpGet, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORECAST_CSV_COLUMNS } from "../app/forecast-csv.js";
import type { Config } from "../config.js";
import { type ClosedDays, readForecasts } from "../data/optiflow/published-results.js";
import { CLOSED_DAYS_KPI, getKpi } from "../data/optiflow/results-repository.js";
import { publishedRunId } from "../data/optiflow/runs-repository.js";
import { FIXTURE_TODAY } from "../test-support/demo-fixture.js";
import {
  fixtureNow,
  publishedDemo,
  startTestServer,
  type TestServer,
} from "../test-support/published-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { forecastExportJob, openForecastExport } from "./forecast-export.js";
import type { ServerDeps } from "./server-deps.js";

/** GET /api/predictions/export: the published daily forecasts, for a French spreadsheet. */
const temp = createTempDir("optiflow-predictions-export-");
let server: TestServer;
let runId: number;
let config: Config;

/** What the route gives the export: the base's path, the clock, the cache duration. */
const serverDeps = (): ServerDeps => ({
  db: server.db,
  writeDb: () => server.writer,
  config,
  now: fixtureNow,
  publication: () => null,
  nextBatch: () => null,
});

beforeAll(async () => {
  // 90 articles in 2 stores: 11,000 rows, a file of several chunks to stop a download between.
  ({ config } = await publishedDemo(temp.path, "predictions-export.db", 90));
  server = startTestServer(config);
  runId = publishedRunId(server.db)!;
}, 120_000);
afterAll(async () => {
  await server.close();
  temp.remove();
});

async function get(url: string) {
  return server.app.inject({ method: "GET", url });
}

type Row = Record<(typeof FORECAST_CSV_COLUMNS)[number], string>;

function readFrench(body: string): Row[] {
  expect(body.startsWith("\uFEFF")).toBe(true);
  return parse(body.slice(1), { delimiter: ";", columns: true });
}
const frenchNumber = (v: string) => Number(v.replace(",", "."));
const thousandths = (v: number) => Math.round(v * 1000) / 1000;

/** Every published series of the run, as `store article` keys. */
function publishedSeries(storeId?: number): { articleId: number; storeId: number }[] {
  return server.db
    .prepare(
      `SELECT DISTINCT article_id AS articleId, magasin_id AS storeId FROM optiflow_forecasts
       WHERE run_id = ? AND (? IS NULL OR magasin_id = ?)`,
    )
    .all(runId, storeId ?? null, storeId ?? null) as { articleId: number; storeId: number }[];
}

describe("GET /api/predictions/export", () => {
  it("holds one series' days with the Predictions page's figures and the closed days", async () => {
    const [series] = publishedSeries(2);
    const { articleId, storeId } = series!;
    const response = await get(`/api/predictions/export?article=${articleId}&store=${storeId}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const reference = (
      server.db.prepare("SELECT reference FROM articles WHERE id = ?").get(articleId) as {
        reference: string;
      }
    ).reference;
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="previsions-MAG02-${reference}-${FIXTURE_TODAY}.csv"`,
    );
    expect(response.body.split("\r\n")[0]).toBe(`\uFEFF${FORECAST_CSV_COLUMNS.join(";")}`);
    const rows = readFrench(response.body);
    const page = readForecasts(server.db, runId, articleId, storeId);
    expect(rows.map((r) => r.date)).toEqual(page.map((f) => f.date));
    for (const [i, f] of page.entries()) {
      const row = rows[i]!;
      expect(row.store).toBe("MAG02");
      expect(row.article).toBe(reference);
      expect(frenchNumber(row.forecast)).toBe(thousandths(f.forecast));
      expect(frenchNumber(row.p10)).toBe(thousandths(f.p10));
      expect(frenchNumber(row.p90)).toBe(thousandths(f.p90));
      expect(row.closed).toBe(f.closed ? "1" : "0");
    }
    // The demo's stores close on Sundays: the file says which days, as the chart does.
    const closed = getKpi<ClosedDays>(server.db, runId, CLOSED_DAYS_KPI)?.[storeId] ?? [];
    expect(closed.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.closed === "1").map((r) => r.date)).toEqual(
      page.filter((f) => closed.includes(f.date)).map((f) => f.date),
    );
  });

  it("holds every series of a store, or of all stores, each day of the horizon", async () => {
    const horizon = readForecasts(server.db, runId, 1, 1).length;
    const store = readFrench((await get("/api/predictions/export?store=1")).body);
    expect(new Set(store.map((r) => r.store))).toEqual(new Set(["MAG01"]));
    expect(store.length).toBe(publishedSeries(1).length * horizon);
    const everything = await get("/api/predictions/export");
    expect(everything.headers["content-disposition"]).toBe(
      `attachment; filename="previsions-${FIXTURE_TODAY}.csv"`,
    );
    const all = readFrench(everything.body);
    expect(all.length).toBe(publishedSeries().length * horizon);
    // Sorted by store, article and day, as `optiflow predictions export` is.
    const keys = all.map((r) => `${r.store} ${r.article} ${r.date}`);
    expect(keys).toEqual([...keys].sort());
  });

  it("holds the series the Predictions page's search finds, every one of them", async () => {
    const search = encodeURIComponent("crème");
    const page = (await get(`/api/predictions?search=${search}&store=1`)).json() as {
      summaryTotal: number;
      summary: { reference: string; name: string }[];
    };
    expect(page.summaryTotal).toBeGreaterThan(0);
    const response = await get(`/api/predictions/export?search=${search}&store=1`);
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="previsions-MAG01-creme-${FIXTURE_TODAY}.csv"`,
    );
    const rows = readFrench(response.body);
    const horizon = readForecasts(server.db, runId, 1, 1).length;
    expect(rows.length).toBe(page.summaryTotal * horizon);
    expect(new Set(rows.map((r) => `${r.article} ${r.name}`))).toEqual(
      new Set(page.summary.map((p) => `${p.reference} ${p.name}`)),
    );
  });

  it("finds an article renamed since the night's batch as the page does, by the name it lists", async () => {
    const page = (await get("/api/predictions?store=1&limit=1")).json() as {
      summary: { articleId: number; reference: string; name: string }[];
    };
    const listed = page.summary[0]!;
    // The retailer's system renames the article during the day; the page lists the night's name.
    const legacy = new Database(config.dbPath);
    legacy.prepare("UPDATE articles SET nom = ? WHERE id = ?").run("Zzrenamed", listed.articleId);
    try {
      const word = encodeURIComponent(listed.name);
      const found = (await get(`/api/predictions?store=1&search=${word}`)).json() as {
        summary: { articleId: number }[];
        summaryTotal: number;
      };
      expect(found.summary.map((r) => r.articleId)).toContain(listed.articleId);
      const rows = readFrench((await get(`/api/predictions/export?store=1&search=${word}`)).body);
      const horizon = readForecasts(server.db, runId, listed.articleId, 1).length;
      expect(rows.length).toBe(found.summaryTotal * horizon);
      // The file names it as it is now.
      expect(rows.filter((r) => r.article === listed.reference)[0]?.name).toBe("Zzrenamed");
      // The page finds nothing under the new name, and nor does the export.
      const renamed = (await get("/api/predictions?store=1&search=zzrenamed")).json() as {
        summaryTotal: number;
      };
      expect(renamed.summaryTotal).toBe(0);
      expect(
        readFrench((await get("/api/predictions/export?store=1&search=zzrenamed")).body),
      ).toEqual([]);
    } finally {
      legacy.prepare("UPDATE articles SET nom = ? WHERE id = ?").run(listed.name, listed.articleId);
      legacy.close();
    }
  });

  it("is sent gzipped to a client that accepts it", async () => {
    const plain = await get("/api/predictions/export?store=2");
    const zipped = await server.app.inject({
      method: "GET",
      url: "/api/predictions/export?store=2",
      headers: { "accept-encoding": "gzip, deflate" },
    });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(gunzipSync(zipped.rawPayload).toString("utf8")).toBe(plain.body);
  });

  it("refuses an unknown store or article, and a filter it does not have, naming it", async () => {
    const store = await get("/api/predictions/export?store=999");
    expect(store.statusCode).toBe(400);
    expect(store.json()).toMatchObject({ field: "querystring/store", code: "unknown_store" });
    const article = await get("/api/predictions/export?article=99999");
    expect(article.statusCode).toBe(400);
    expect(article.json()).toMatchObject({
      field: "querystring/article",
      code: "unknown_article",
    });
    // The export is every day of the series: no page of them.
    const sliced = await get("/api/predictions/export?limit=10");
    expect(sliced.statusCode).toBe(400);
    expect(sliced.json()).toMatchObject({ field: "querystring/limit" });
  });

  it("says to the page that asked when its file starts, by a cookie of its token", async () => {
    const [series] = publishedSeries(2);
    const query = `article=${series!.articleId}&store=${series!.storeId}`;
    const plain = await get(`/api/predictions/export?${query}`);
    expect(plain.headers["set-cookie"]).toBeUndefined();
    const told = await get(`/api/predictions/export?${query}&download=Ab3dE5gH9k`);
    expect(told.statusCode).toBe(200);
    expect(told.headers["set-cookie"]).toBe(
      "optiflow_download_Ab3dE5gH9k=1; SameSite=Strict; Path=/; Max-Age=120",
    );
    // The same file, the token aside.
    expect(told.body).toBe(plain.body);
    // Only a token's letters and digits go into a cookie's name.
    for (const bad of ["short", "a%3Bb%3Dc%20d1234", "x".repeat(33)]) {
      const refused = await get(`/api/predictions/export?${query}&download=${bad}`);
      expect(refused.statusCode, bad).toBe(400);
      expect(refused.json()).toMatchObject({ field: "querystring/download" });
      expect(refused.headers["set-cookie"]).toBeUndefined();
    }
    // A refusal sets none: the page says the refusal instead.
    const unknown = await get("/api/predictions/export?store=999&download=Ab3dE5gH9k");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers["set-cookie"]).toBeUndefined();
  });

  it("streams over a real socket the bytes of the whole file", async () => {
    const expected = (await get("/api/predictions/export")).body;
    await server.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = server.app.server.address() as AddressInfo;
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      httpGet(`http://127.0.0.1:${port}/api/predictions/export`, resolve).on("error", reject),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(expected);
  });

  it("reads one snapshot on its own connection: the pages see the base as it is meanwhile", async () => {
    const before = (await get("/api/predictions/export")).body;
    const download = openForecastExport(forecastExportJob(serverDeps(), {}));
    const chunks = download.chunks[Symbol.iterator]();
    // The header and the first rows: the download is reading the base, and waits for its client.
    let text = `${chunks.next().value}${chunks.next().value}`;
    const first = readForecasts(server.db, runId, 1, 1)[0]!.forecast;
    server.writer
      .prepare("UPDATE optiflow_forecasts SET forecast = forecast + 1000 WHERE run_id = ?")
      .run(runId);
    // The pages' connection is not held on the download's snapshot: it reads the change ...
    expect(readForecasts(server.db, runId, 1, 1)[0]!.forecast).toBeCloseTo(first + 1000, 6);
    // ... while the download goes on with the base as it began.
    for (let next = chunks.next(); !next.done; next = chunks.next()) text += next.value;
    download.close();
    expect(text).toBe(before);
  });

  it("is not cut short by a batch publishing between its first bytes and its rows", async () => {
    const expected = (await get("/api/predictions/export")).body;
    const download = openForecastExport(forecastExportJob(serverDeps(), {}));
    const chunks = download.chunks[Symbol.iterator]();
    // The header alone has gone out: no row has been read yet.
    let text = `${chunks.next().value}`;
    // Tonight's batch deletes the published run's daily rows as it publishes its own.
    const deleted = server.writer
      .prepare("DELETE FROM optiflow_forecasts WHERE run_id = ?")
      .run(runId).changes;
    expect(deleted).toBeGreaterThan(0);
    for (let next = chunks.next(); !next.done; next = chunks.next()) text += next.value;
    download.close();
    expect(text).toBe(expected);
    // The deletion was real: a download begun now has no rows left.
    const after = openForecastExport(forecastExportJob(serverDeps(), {}));
    expect([...after.chunks].join("")).toBe(`\uFEFF${FORECAST_CSV_COLUMNS.join(";")}\r\n`);
    after.close();
  });
});
