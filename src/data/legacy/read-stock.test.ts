import { afterAll, describe, expect, it } from "vitest";
import { dayFromIso } from "../../domain/calendar/days.js";
import { openOrdersOn } from "../../domain/replenishment/stock-position.js";
import { demoDatabase, FIXTURE_TODAY } from "../../test-support/demo-fixture.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import { openDatabaseReadonly } from "../open.js";
import { seriesKey } from "./day-cache.js";
import { readOpenOrders, readOrderHistory, readStockHistory, stockOn } from "./read-stock.js";

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

describe("purchase orders as they went", () => {
  it("give, as of tonight, the same open orders as the current ones, and lines open a month ago", () => {
    const db = openDatabaseReadonly(demoDatabase(temp.path));
    const today = dayFromIso(FIXTURE_TODAY);
    const history = readOrderHistory(db, "2025-01-01", "2026-12-31");
    const sorted = (lines: { quantity: number; expectedDay: number | null }[]) =>
      lines.map((l) => `${l.quantity}@${l.expectedDay}`).sort();
    const current = readOpenOrders(db);
    expect(current.size).toBeGreaterThan(5);
    // Each line names its order, the number a supplier is asked about.
    const numbers = new Set(
      (
        db
          .prepare("SELECT numero FROM commandes WHERE statut IN ('ENVOYEE', 'PARTIELLE')")
          .all() as { numero: string }[]
      ).map((r) => r.numero),
    );
    for (const l of [...current.values()].flat()) expect(numbers.has(l.order as string)).toBe(true);
    const keys = new Set([...current.keys(), ...history.keys()]);
    for (const key of keys)
      expect(sorted(openOrdersOn(history.get(key) ?? [], today)), key).toEqual(
        sorted(current.get(key) ?? []),
      );
    // Lines delivered since were open then: the history holds more than tonight's.
    const monthAgo = [...history.values()].flatMap((l) => openOrdersOn(l, today - 30));
    expect(monthAgo.length).toBeGreaterThan(0);
    const delivered = [...history.values()].flat().filter((l) => l.receipts.length > 0);
    expect(delivered.length).toBeGreaterThan(current.size);
    db.close();
  });
});
