import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERT_CSV_COLUMNS } from "../app/alert-csv.js";
import type { AlertView } from "../data/optiflow/published-results.js";
import { addDays } from "../domain/calendar/days.js";
import { FIXTURE_TODAY } from "../test-support/demo-fixture.js";
import {
  publishedDemo,
  startTestServer,
  type TestServer,
} from "../test-support/published-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";

/** GET /api/alerts/export: the Alerts page's list, filtered and sorted alike, every row of it. */
const temp = createTempDir("optiflow-alerts-export-");
let server: TestServer;

beforeAll(async () => {
  // 90 articles in 2 stores: more rows than the page's first screen (120).
  const { config } = await publishedDemo(temp.path, "export.db", 90);
  server = startTestServer(config);
}, 120_000);
afterAll(async () => {
  await server.close();
  temp.remove();
});

async function get(url: string) {
  return server.app.inject({ method: "GET", url });
}

/** A CSV as a French spreadsheet reads it: BOM, `;`, decimal comma. */
function readFrench(body: string): Record<string, string>[] {
  expect(body.startsWith("\uFEFF")).toBe(true);
  return parse(body.slice(1), { delimiter: ";", columns: true });
}
const frenchNumber = (v: string) => (v === "" ? null : Number(v.replace(",", ".")));
/** A figure as the CSV writes it: rounded to three decimals. */
const thousandths = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

describe("GET /api/alerts/export", () => {
  it("holds the page's rows in the page's order, every one, for a French spreadsheet", async () => {
    const filters = "sort=valueAtRisk&dir=desc";
    const page = (await get(`/api/alerts?${filters}&limit=100000`)).json() as {
      total: number;
      alerts: AlertView[];
    };
    const response = await get(`/api/alerts/export?${filters}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="alertes-${FIXTURE_TODAY}.csv"`,
    );
    expect(response.body.split("\r\n")[0]).toBe(`\uFEFF${ALERT_CSV_COLUMNS.join(";")}`);
    const rows = readFrench(response.body);
    expect(rows.length).toBe(page.total);
    // The export is the whole list, not the page's first screen.
    expect(page.total).toBeGreaterThan(120);
    expect(rows.map((r) => `${r.store} ${r.article}`)).toEqual(
      page.alerts.map((a) => `${a.storeCode} ${a.reference}`),
    );
    for (const [i, a] of page.alerts.entries()) {
      const row = rows[i]!;
      expect(row.level).toBe(a.level);
      expect(frenchNumber(row.on_hand!)).toBe(thousandths(a.onHand));
      expect(frenchNumber(row.value_at_risk!)).toBe(thousandths(a.valueAtRisk));
      expect(frenchNumber(row.suggested_quantity!)).toBe(thousandths(a.suggestedQty));
      expect(row.stockout_date).toBe(
        a.daysToStockout === null ? "" : addDays(FIXTURE_TODAY, a.daysToStockout),
      );
    }
  });

  it("names a store's export after the store, and the level after it", async () => {
    const response = await get("/api/alerts/export?store=2&level=OK");
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="alertes-MAG02-ok-${FIXTURE_TODAY}.csv"`,
    );
    expect(new Set(readFrench(response.body).map((r) => `${r.store} ${r.level}`))).toEqual(
      new Set(["MAG02 OK"]),
    );
  });

  it("keeps a level's rows alone, and names the file after it", async () => {
    const page = (await get("/api/alerts?level=CRITIQUE")).json() as { total: number };
    const response = await get("/api/alerts/export?level=CRITIQUE");
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="alertes-critique-${FIXTURE_TODAY}.csv"`,
    );
    const rows = readFrench(response.body);
    expect(rows.length).toBe(page.total);
    expect(new Set(rows.map((r) => r.level))).toEqual(new Set(["CRITIQUE"]));
  });

  it("is compressed for a client that accepts gzip, a short one left as it is", async () => {
    const plain = await get("/api/alerts/export");
    const gzip = await server.app.inject({
      method: "GET",
      url: "/api/alerts/export",
      headers: { "accept-encoding": "gzip, deflate" },
    });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gzip.headers.vary).toBe("accept-encoding");
    expect(gunzipSync(gzip.rawPayload).toString("utf8")).toBe(plain.body);
    expect(gzip.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    // No row matches: the header line alone, shorter than gzip's own overhead is worth.
    const none = await server.app.inject({
      method: "GET",
      url: "/api/alerts/export?search=zzzz",
      headers: { "accept-encoding": "gzip" },
    });
    expect(none.headers["content-encoding"]).toBeUndefined();
    expect(readFrench(none.body)).toEqual([]);
  });

  it("refuses a page's slice and a store the base lacks, naming the field", async () => {
    const sliced = await get("/api/alerts/export?limit=10");
    expect(sliced.statusCode).toBe(400);
    const unknown = await get("/api/alerts/export?store=99");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: "querystring/store", code: "unknown_store" });
  });
});
