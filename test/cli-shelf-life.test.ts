import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { FIXTURE_NOW, publishedDemo } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * `optiflow alerts critical` says what the shelf life did to a critical row's order, as the Alerts
 * page does beside the quantity (test/e2e/shelf-life-note.test.ts): a critical row with a small
 * order, or none, otherwise reads as an oversight.
 */
const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-cli-shelf-life-");
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

interface CriticalJson {
  orderPolicy: string | null;
  alerts: { reference: string; storeCode: string; shelfLife: string | null }[];
}

/** The lines below the table that speak of the shelf life (none: an empty list). */
function noteLines(out: string): string[] {
  const lines = out.split("\n");
  const first = lines.indexOf("Quantité suggérée et durée de conservation :");
  return first < 0 ? [] : lines.slice(first);
}

beforeAll(async () => {
  db = (await publishedDemo(temp.path, "shelf-life.db", 36)).path;
  // The test's own copy of the base, as a shelf emptied overnight would leave it: the oranges
  // (5 days of shelf life) of MAG01 run out today, so the row is critical, and what sells in 5
  // days is less than the brief's quantity rounded up to the pack.
  const writer = new Database(db);
  try {
    const oranges = writer
      .prepare("SELECT id, duree_conservation_jours AS days FROM articles WHERE reference = ?")
      .get("ART-000010") as { id: number; days: number };
    expect(oranges.days).toBe(5);
    writer
      .prepare("UPDATE stocks SET quantite = 0 WHERE article_id = ? AND magasin_id = ?")
      .run(oranges.id, 1);
  } finally {
    writer.close();
  }
  optiflow("ml", "batch", "--today", FIXTURE_TODAY);
}, 120_000);

afterAll(() => temp.remove());

describe("optiflow alerts critical and the shelf life", () => {
  it("says, under marge, that part of the brief's quantity would expire before it sells", () => {
    const json = JSON.parse(optiflow("alerts", "critical", "--json")) as CriticalJson;
    expect(json.orderPolicy).toBe("marge");
    const noted = json.alerts.filter((a) => a.shelfLife !== null);
    expect(noted.map((a) => [a.storeCode, a.reference, a.shelfLife])).toEqual([
      ["MAG01", "ART-000010", "exceeds"],
    ]);
    // The other critical rows keep their table without a note.
    expect(json.alerts.length).toBeGreaterThan(1);
    expect(noteLines(optiflow("alerts", "critical"))).toEqual([
      "Quantité suggérée et durée de conservation :",
      "  MAG01 ART-000010 : en partie périmée avant d'être vendue",
      "",
    ]);
  });

  it("says, under niveau_de_service, that the quantity was held down by the shelf life", () => {
    optiflow("settings", "set", "order_policy", "niveau_de_service");
    optiflow("ml", "batch", "--today", FIXTURE_TODAY);
    const json = JSON.parse(optiflow("alerts", "critical", "--json")) as CriticalJson;
    expect(json.orderPolicy).toBe("niveau_de_service");
    expect(json.alerts.find((a) => a.reference === "ART-000010")?.shelfLife).toBe("capped");
    expect(noteLines(optiflow("alerts", "critical", "--store", "MAG01"))).toEqual([
      "Quantité suggérée et durée de conservation :",
      "  MAG01 ART-000010 : limitée par la durée de conservation",
      "",
    ]);
    // A store without such a row prints its table alone.
    expect(optiflow("alerts", "critical", "--store", "MAG02")).not.toContain("conservation");
  });
});
