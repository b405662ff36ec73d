import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { emptyShelfWithOrderOnItsWay } from "../src/test-support/order-on-its-way.js";
import { FIXTURE_NOW, publishedDemo } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * `optiflow alerts critical` says why a critical row suggests nothing, as the Alerts page does
 * beside the quantity (test/e2e/empty-suggestion.test.ts): the shelf runs out before any delivery,
 * and the order already on its way covers the target date.
 */
const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-cli-empty-suggestion-");
let db: string;

function optiflow(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, "--db", db], {
    cwd: temp.path,
    encoding: "utf8",
    env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

interface CriticalRow {
  articleId: number;
  storeId: number;
  reference: string;
  storeCode: string;
  suggestedQty: number | null;
  onOrder: number;
  targetDate: string | null;
  shelfLifeDays: number | null;
  emptySuggestion: string | null;
}

const critical = () =>
  (JSON.parse(optiflow("alerts", "critical", "--json")) as { alerts: CriticalRow[] }).alerts;

/** The lines below the table that list the rows with nothing to order (none: an empty list). */
function noteLines(out: string): string[] {
  const lines = out.split("\n");
  const first = lines.indexOf("Aucune quantité suggérée :");
  return first < 0 ? [] : lines.slice(first);
}

let row: CriticalRow;

beforeAll(async () => {
  db = (await publishedDemo(temp.path, "empty-suggestion.db", 36)).path;
  // A critical article that keeps, with an order to place: the one the test empties.
  const before = critical().find((a) => a.shelfLifeDays === null && (a.suggestedQty ?? 0) > 0);
  expect(before, "a critical article that keeps, with a quantity").toBeDefined();
  row = before as CriticalRow;
  emptyShelfWithOrderOnItsWay(db, row.articleId, row.storeId, FIXTURE_TODAY);
  optiflow("ml", "batch", "--today", FIXTURE_TODAY);
}, 120_000);

afterAll(() => temp.remove());

describe("optiflow alerts critical: a critical row with nothing to order", () => {
  it("says the order on its way covers the target date, in JSON and below the table", () => {
    const rows = critical();
    const same = rows.find((a) => a.articleId === row.articleId && a.storeId === row.storeId);
    expect(same?.suggestedQty).toBe(0);
    expect(same?.onOrder).toBeGreaterThan(0);
    expect(same?.emptySuggestion).toBe("covered_with_orders");
    // A critical row with a quantity has nothing to explain.
    const ordered = rows.filter((a) => (a.suggestedQty ?? 0) > 0);
    expect(ordered.length).toBeGreaterThan(0);
    expect(ordered.every((a) => a.emptySuggestion === null)).toBe(true);
    expect(noteLines(optiflow("alerts", "critical"))).toEqual([
      "Aucune quantité suggérée :",
      `  ${row.storeCode} ${row.reference} : ventes prévues couvertes jusqu'au ${same?.targetDate}, commande en cours comprise`,
      "",
    ]);
  });

  it("prints the table alone for a store without such a row", () => {
    const other = row.storeCode === "MAG01" ? "MAG02" : "MAG01";
    expect(optiflow("alerts", "critical", "--store", other)).not.toContain("Aucune quantité");
  });
});
