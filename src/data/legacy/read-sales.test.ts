import { afterAll, describe, expect, it } from "vitest";
import { addDays, dayFromIso } from "../../domain/calendar/days.js";
import { FIXTURE_TODAY } from "../../test-support/demo-fixture.js";
import { dirtyDatabase } from "../../test-support/dirty-database.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import { openDatabaseReadonly } from "../open.js";
import { checksumWithin, SALES_CHECKSUM_TERMS, salesChecksums } from "./history-checksum.js";
import { ALL_ROWS, readDailySales, scanDailySales } from "./read-sales.js";

/**
 * The sales reading hands each row to JavaScript through an SQL function and sums the days
 * there: it must find what SQLite's own GROUP BY finds, dirty rows included, and the checksum it
 * sums in the same scan must be the one a scan of its own gives (the history cache compares
 * the two on later nights).
 */
const temp = createTempDir("optiflow-read-sales-");
afterAll(() => temp.remove());

describe("the daily sales reading", () => {
  const path = dirtyDatabase(temp.path);
  const endIso = FIXTURE_TODAY;
  const firstIso = addDays(FIXTURE_TODAY, -400);
  const window = { firstDay: dayFromIso(firstIso), endDay: dayFromIso(endIso), firstIso, endIso };

  it("sums each article, store and day as SQLite does, skipping text quantities", () => {
    const db = openDatabaseReadonly(path);
    try {
      const expected = db
        .prepare(
          `SELECT article_id || ':' || magasin_id AS k, date, sum(quantite) AS q FROM ventes
           WHERE date >= ? AND date < ? AND typeof(quantite) IN ('integer', 'real')
           GROUP BY article_id, magasin_id, date`,
        )
        .all(firstIso, endIso) as { k: string; date: string; q: number }[];
      const sales = readDailySales(db, window.firstDay, window.endDay, firstIso, endIso);
      let compared = 0;
      for (const row of expected) {
        const day = dayFromIso(row.date) - window.firstDay;
        expect(sales.series.get(row.k)?.[day], `${row.k} ${row.date}`).toBeCloseTo(row.q, 9);
        compared++;
      }
      expect(compared).toBeGreaterThan(1000);
      const total = [...sales.series.values()].reduce((s, v) => s + v.reduce((a, b) => a + b), 0);
      expect(total).toBeCloseTo(
        expected.reduce((s, r) => s + r.q, 0),
        3,
      );
      // In article then store order, as the GROUP BY it replaced listed them.
      const keys = [...sales.series.keys()].map((k) => k.split(":").map(Number));
      const ordered = [...keys].sort(
        (a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number),
      );
      expect(keys).toEqual(ordered);
    } finally {
      db.close();
    }
  });

  it("sums the checksum of a segment in the same scan as a scan of its own gives", () => {
    const db = openDatabaseReadonly(path);
    try {
      const segment = { fromIso: firstIso, toIso: addDays(endIso, -28) };
      const scan = scanDailySales(db, { ...window, aggregates: SALES_CHECKSUM_TERMS });
      const within = checksumWithin(db, scan.aggregates, segment, endIso, ALL_ROWS);
      const [alone] = salesChecksums(db, [segment], ALL_ROWS);
      expect(within).toEqual(alone);
      expect(Number(within[0])).toBeGreaterThan(1000);
    } finally {
      db.close();
    }
  });
});
