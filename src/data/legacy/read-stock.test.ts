import { afterAll, describe, expect, it } from "vitest";
import { dayFromIso } from "../../domain/calendar/days.js";
import { demoDatabase, FIXTURE_TODAY } from "../../test-support/demo-fixture.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import { openDatabaseReadonly } from "../open.js";
import { seriesKey } from "./day-cache.js";
import { readStockHistory, stockOn } from "./read-stock.js";

const temp = createTempDir();
afterAll(() => temp.remove());

describe("end-of-day stock history", () => {
  it("gives each day's stock row by row, and nothing for a day without a row or out of range", () => {
    const db = openDatabaseReadonly(demoDatabase(temp.path));
    const today = dayFromIso(FIXTURE_TODAY);
    const from = "2026-11-01";
    const to = "2026-11-14";
    const history = readStockHistory(db, from, to);
    const rows = db
      .prepare(
        "SELECT date, article_id, magasin_id, quantite FROM stocks_historique WHERE date >= ? AND date <= ?",
      )
      .raw(true)
      .all(from, to) as [string, number, number, number][];
    expect(rows.length).toBeGreaterThan(100);
    for (const [date, article, store, quantity] of rows)
      expect(stockOn(history, seriesKey(article, store), dayFromIso(date))).toBe(quantity);
    const [, article, store] = rows[0] as [string, number, number, number];
    const key = seriesKey(article, store);
    expect(stockOn(history, key, dayFromIso(from) - 1)).toBeUndefined();
    expect(stockOn(history, key, today)).toBeUndefined();
    expect(stockOn(history, "no:such", dayFromIso(from))).toBeUndefined();
    // A day of the range without a row for the series reads as unknown, not as zero.
    const withRows = new Set(
      rows.filter(([, a, s]) => a === article && s === store).map(([d]) => dayFromIso(d)),
    );
    for (let d = dayFromIso(from); d <= dayFromIso(to); d++)
      if (!withRows.has(d)) expect(stockOn(history, key, d)).toBeUndefined();
    db.close();
  });
});
