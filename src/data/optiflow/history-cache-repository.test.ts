import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { isoFromDay } from "../../domain/calendar/days.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import {
  advanceHistoryCache,
  BLOCK_DAYS,
  type HistoryCacheHeader,
  readFrozenHistory,
  readHistoryCacheHeader,
  saveHistoryCache,
} from "./history-cache-repository.js";
import { migrate } from "./migrate.js";

const temp = createTempDir();
afterAll(() => temp.remove());

const FIRST = 20_000;

function header(firstDay: number, frozenEnd: number): HistoryCacheHeader {
  return { firstDay, frozenEnd, salesChecksum: [1n, 2n], stockChecksum: [3n], builtAt: "t" };
}

/** A series whose day i (from FIRST) sells `f(i)`, over `length` days. */
function series(length: number, f: (i: number) => number): Float64Array {
  return Float64Array.from({ length }, (_, i) => f(i));
}

describe("the history cache, stored by day", () => {
  it("gives back what was saved, moved forward, with a series that appeared later", () => {
    const db = new Database(join(temp.path, "cache.db"));
    migrate(db);
    // 150 days: blocks of 28, a short one at the end.
    const a = series(200, (i) => i % 7);
    const b = series(200, (i) => (i % 11 === 0 ? 0.5 : -1));
    const storeDays = new Map([[1, new Set([isoFromDay(FIRST + 3), isoFromDay(FIRST + 155)])]]);
    saveHistoryCache(db, header(FIRST, FIRST + 150), {
      origin: FIRST,
      from: FIRST,
      to: FIRST + 150,
      sales: new Map([
        ["1:1", a],
        ["2:1", b],
      ]),
      emptyStockDays: new Map([["2:1", [FIRST + 5, FIRST + 170]]]),
      storeDays,
    });
    const c = series(200, (i) => (i >= 150 ? 9 : 0));
    // The window moved 10 days: days [150, 160) freeze, [0, 10) are dropped.
    advanceHistoryCache(db, header(FIRST + 10, FIRST + 160), {
      origin: FIRST,
      from: FIRST + 150,
      to: FIRST + 160,
      sales: new Map([
        ["1:1", a],
        ["2:1", b],
        ["3:2", c],
      ]),
      emptyStockDays: new Map([["2:1", [FIRST + 5, FIRST + 155]]]),
      storeDays,
    });
    const saved = readHistoryCacheHeader(db) as HistoryCacheHeader;
    expect(saved).toEqual(header(FIRST + 10, FIRST + 160));
    const read = readFrozenHistory(db, saved, FIRST + 10, 180);
    const expected = (values: Float64Array) => [
      ...values.subarray(10, 160),
      ...new Array(30).fill(0),
    ];
    expect([...(read.sales.get("1:1") ?? [])]).toEqual(expected(a));
    expect([...(read.sales.get("2:1") ?? [])]).toEqual(expected(b));
    expect([...(read.sales.get("3:2") ?? [])]).toEqual(expected(c));
    expect(read.emptyStockDays).toEqual(new Map([["2:1", [FIRST + 155]]]));
    const open = read.openDays.get(1) as Uint8Array;
    expect([...open.keys()].filter((i) => open[i] === 1)).toEqual([145]);
    // Blocks [0, 28) … [140, 150) written first; the short last one written again to 160.
    const blocks = db
      .prepare("SELECT first_day, end_day FROM optiflow_history_blocks ORDER BY first_day")
      .raw(true)
      .all();
    const block = (from: number, to: number) => [isoFromDay(FIRST + from), isoFromDay(FIRST + to)];
    expect(blocks).toEqual([
      ...[0, 28, 56, 84, 112].map((d) => block(d, d + BLOCK_DAYS)),
      block(140, 160),
    ]);
    db.close();
  });
});
