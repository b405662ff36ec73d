import { afterAll, describe, expect, it } from "vitest";
import { demoDatabase } from "../../test-support/demo-fixture.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import { CHECKS, findSalesGaps } from "../legacy/data-checks.js";
import { openOptiflowDatabase } from "./open-optiflow.js";
import { insertDataChecks } from "./results-repository.js";

const temp = createTempDir();
afterAll(() => temp.remove());

describe("a night's data checks, stored", () => {
  it("keeps each per-store check's stores apart, one row per kind and table", () => {
    const db = openOptiflowDatabase(demoDatabase(temp.path, "checks.db"));
    try {
      const negative = CHECKS.find((c) => c.kind === "negative_stock");
      const gaps = findSalesGaps(
        new Map([
          ["MAG01", ["2026-11-02"]],
          ["MAG02", ["2026-11-03", "2026-11-04"]],
        ]),
      );
      insertDataChecks(db, 7, [
        ...gaps,
        {
          kind: "negative_stock",
          table: "stocks",
          count: 3,
          description: negative?.description ?? "",
          samples: [],
        },
      ]);
      const rows = db
        .prepare(
          "SELECT kind, count, stores FROM optiflow_data_checks WHERE run_id = 7 ORDER BY kind",
        )
        .all();
      expect(rows).toEqual([
        { kind: "negative_stock", count: 3, stores: null },
        { kind: "sales_gap", count: 3, stores: '["MAG01","MAG02"]' },
      ]);
    } finally {
      db.close();
    }
  });
});
