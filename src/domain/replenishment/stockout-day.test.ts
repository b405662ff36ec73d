import { describe, expect, it } from "vitest";
import { daysOfCover } from "./coverage.js";
import { stockoutDay } from "./stockout-day.js";

const TODAY = 1000;
const rate = (perDay: number, days = 10) => new Array<number>(days).fill(perDay);

describe("the first day the shelf is empty, open orders counted on their day", () => {
  it("is the on-hand cover when nothing is on order", () => {
    const f = rate(3, 6);
    for (const stock of [-2, 0, 1, 3, 10, 17, 18, 100])
      expect(stockoutDay(f, stock, [], TODAY, true)).toBe(daysOfCover(f, stock));
  });

  it("counts a delivery arriving before the shelf empties", () => {
    // 43 on the shelf, 21 a day: it runs out during day 2; with 50 more today, during day 4.
    const f = rate(21);
    expect(stockoutDay(f, 43, [], TODAY, true)).toBe(2);
    expect(stockoutDay(f, 43, [{ quantity: 50, expectedDay: TODAY }], TODAY, true)).toBe(4);
  });

  it("gives the first stock-out when the delivery comes after it", () => {
    // 14 on the shelf, 10 a day: empty during day 1, refilled on day 3.
    const f = rate(10);
    const late = [{ quantity: 66, expectedDay: TODAY + 3 }];
    expect(stockoutDay(f, 14, late, TODAY, true)).toBe(1);
    // Arriving on day 1, the 66 units carry the shelf through day 7 (80 units, 10 a day).
    const early = [{ quantity: 66, expectedDay: TODAY + 1 }];
    expect(stockoutDay(f, 14, early, TODAY, true)).toBe(8);
  });

  it("counts an undated or late order as arriving today, as stock_actuel does", () => {
    const f = rate(5);
    expect(stockoutDay(f, 0, [{ quantity: 12, expectedDay: null }], TODAY, true)).toBe(2);
    expect(stockoutDay(f, 0, [{ quantity: 12, expectedDay: TODAY - 4 }], TODAY, true)).toBe(2);
  });

  it("ignores the orders when the setting leaves them out, and orders beyond the horizon", () => {
    const f = rate(5, 4);
    const orders = [{ quantity: 100, expectedDay: TODAY }];
    expect(stockoutDay(f, 7, orders, TODAY, false)).toBe(1);
    expect(stockoutDay(f, 7, [{ quantity: 100, expectedDay: TODAY + 4 }], TODAY, true)).toBe(1);
    expect(stockoutDay(f, 7, [{ quantity: 0, expectedDay: TODAY }], TODAY, true)).toBe(1);
  });

  it("calls an empty shelf on a closed day out, and a stock that lasts the horizon null", () => {
    expect(stockoutDay([0, 2, 2], 0, [{ quantity: 4, expectedDay: TODAY + 1 }], TODAY, true)).toBe(
      0,
    );
    expect(stockoutDay(rate(1, 5), 5, [], TODAY, true)).toBeNull();
    expect(stockoutDay(rate(1, 5), 4.5, [], TODAY, true)).toBe(4);
  });
});
