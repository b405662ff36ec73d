import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sortAlerts } from "../app/alert-list.js";
import { type AlertView, readAlerts } from "../data/optiflow/published-results.js";
import {
  publishedDemo,
  startTestServer,
  type TestServer,
} from "../test-support/published-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { PublishedAlerts } from "./published-alerts.js";

const temp = createTempDir();
let server: TestServer;
let runId: number;

beforeAll(async () => {
  const { config } = await publishedDemo(temp.path, "published-alerts.db");
  server = startTestServer(config);
  runId = server.db.prepare("SELECT run_id FROM optiflow_publication").pluck().get() as number;
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

const keyOf = (a: Pick<AlertView, "articleId" | "storeId">) => `${a.articleId}:${a.storeId}`;

describe("the published run's alerts, read once and filtered in memory", () => {
  it("are read from the base once per run, and again for another run", () => {
    const alerts = new PublishedAlerts(server.db);
    expect(alerts.holds(runId)).toBe(false);
    const first = alerts.of(runId);
    expect(first.length).toBeGreaterThan(10);
    expect(alerts.of(runId)).toBe(first);
    expect(alerts.of(runId + 1000)).toEqual([]);
    expect(alerts.holds(runId)).toBe(false);
  });

  it("answer each filter of the Alerts page as the SQL filters of readAlerts do", async () => {
    const all = readAlerts(server.db, runId);
    const one = all[0] as AlertView;
    const cases: [string, Parameters<typeof readAlerts>[2]][] = [
      [`store=${one.storeId}`, { storeId: one.storeId }],
      [`category=${one.categoryId}`, { categoryId: one.categoryId ?? undefined }],
      [`supplier=${one.supplierId}`, { supplierId: one.supplierId ?? undefined }],
      [`abc=${one.abc}&store=${one.storeId}`, { abc: one.abc ?? undefined, storeId: one.storeId }],
      [`xyz=${one.xyz}`, { xyz: one.xyz ?? undefined }],
      [`level=${one.level}&store=${one.storeId}`, { level: one.level, storeId: one.storeId }],
    ];
    for (const [query, filters] of cases) {
      const response = await server.app.inject({
        method: "GET",
        url: `/api/alerts?${query}&limit=100000`,
      });
      expect(response.statusCode, query).toBe(200);
      const served = (response.json().alerts as AlertView[]).map(keyOf);
      // What the route answered when it filtered in SQL: the filtered rows, sorted by urgency.
      const expected = sortAlerts(readAlerts(server.db, runId, filters)).map(keyOf);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(served, query).toEqual(expected);
    }
  });

  it("are read before anyone asks, once the server is ready", async () => {
    const alerts = new PublishedAlerts(server.db);
    const warmed = startTestServer(
      { ...(await publishedDemo(temp.path, "published-alerts.db")).config },
      { alerts },
    );
    try {
      await warmed.app.ready();
      await new Promise((resolve) => setImmediate(resolve));
      expect(alerts.holds(runId)).toBe(true);
    } finally {
      await warmed.close();
    }
  });
});
