import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { readConfig } from "../config.js";
import { seriesKey } from "../data/legacy/day-cache.js";
import { openDatabaseReadonly } from "../data/open.js";
import { asOfWeeklyForecasts } from "../data/optiflow/results-repository.js";
import { addDays, dayFromIso } from "../domain/calendar/days.js";
import { FIXTURE_TODAY } from "../test-support/demo-fixture.js";
import { dirtyDatabase } from "../test-support/dirty-database.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { readHistoryInWorkers } from "./read-history-in-workers.js";
import { runBatch } from "./run-batch.js";
import { lastCompleteWeeks, weekSalesOf } from "./scored-weeks.js";

const temp = createTempDir("optiflow-scored-weeks-");
afterAll(() => temp.remove());

describe("the weeks steps 5 and B score", () => {
  it("are the last complete weeks before today's, oldest first", () => {
    // 2026-11-25 is a Wednesday: its week began on Monday 2026-11-23.
    expect(lastCompleteWeeks(dayFromIso("2026-11-25"), 3)).toEqual([
      "2026-11-02",
      "2026-11-09",
      "2026-11-16",
    ]);
    expect(lastCompleteWeeks(dayFromIso("2026-11-23"), 1)).toEqual(["2026-11-16"]);
  });

  it("sum each series' days of each week, returns included, and leave out series that sold nothing", () => {
    const firstDay = dayFromIso("2026-11-02");
    const sold = new Float64Array(21);
    sold.set([1, 2, 3, 0, 0, 0, 4], 0);
    sold.set([0, 0, -2, 0.5, 0, 0, 0], 14);
    const sales = new Map([
      ["1:1", sold],
      ["2:1", new Float64Array(21)],
    ]);
    const weeks = weekSalesOf(sales, firstDay, ["2026-11-02", "2026-11-09", "2026-11-16"]);
    expect([...(weeks.bySeries.get("1:1") ?? [])]).toEqual([10, 0, -1.5]);
    expect(weeks.bySeries.has("2:1")).toBe(false);
    // A week partly outside the history counts the days it has.
    const edge = weekSalesOf(sales, firstDay, ["2026-10-26", "2026-11-16"]);
    expect([...(edge.bySeries.get("1:1") ?? [])]).toEqual([0, -1.5]);
  });

  it("equal the sales table's own weekly sums, on a dirty base with returns and fractions", async () => {
    const path = dirtyDatabase(temp.path);
    const mondays = ["2026-11-02", "2026-11-09", "2026-11-16"];
    // Returns and a weighed sale in the scored weeks, keyed in by the retailer's system.
    const raw = new Database(path);
    const [a, b] = raw
      .prepare(
        "SELECT article_id, magasin_id FROM ventes WHERE date = ? ORDER BY article_id LIMIT 2",
      )
      .all("2026-11-10") as { article_id: number; magasin_id: number }[];
    const sale = raw.prepare(
      "INSERT INTO ventes (date, magasin_id, article_id, quantite, chiffre_affaires, prix_moyen) VALUES (?, ?, ?, ?, 0, NULL)",
    );
    sale.run("2026-11-10", a!.magasin_id, a!.article_id, -3);
    sale.run("2026-11-17", b!.magasin_id, b!.article_id, 0.375);
    raw.close();
    // Forecasts stored before the weeks began, as a Monday night leaves them.
    const config = {
      ...readConfig({}),
      dbPath: path,
      backupDir: join(temp.path, "backups"),
      batchLogPath: join(temp.path, "batch.log"),
    };
    await runBatch({
      config,
      today: mondays[0] as string,
      trigger: "cli",
      now: () => new Date(`${mondays[0]}T00:30:00Z`),
    });
    const db = openDatabaseReadonly(path);
    try {
      const stored = asOfWeeklyForecasts(db, mondays);
      expect(stored.length).toBeGreaterThan(30);
      expect(stored.filter((p) => p.actual !== 0).length).toBeGreaterThan(20);
      // The history a night reads, as of the fixture's day.
      const endDay = dayFromIso(FIXTURE_TODAY);
      const firstDay = endDay - 3 * 365;
      const history = await readHistoryInWorkers(db, {
        firstDay,
        endDay,
        firstIso: addDays(FIXTURE_TODAY, -3 * 365),
        endIso: FIXTURE_TODAY,
      });
      const weeks = weekSalesOf(history.sales.series, firstDay, mondays);
      for (const p of stored) {
        const sums = weeks.bySeries.get(seriesKey(p.articleId, p.storeId));
        const week = mondays.indexOf(p.weekStart);
        expect(sums ? (sums[week] as number) : 0).toBeCloseTo(p.actual, 9);
      }
    } finally {
      db.close();
    }
  });
});
