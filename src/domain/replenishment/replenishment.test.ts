import { describe, expect, it } from "vitest";
import { dayFromIso } from "../calendar/days.js";
import { parseWeekdayMask } from "../calendar/opening-days.js";
import { assessAlert } from "./alert-level.js";
import { classifyCoverage, daysOfCover } from "./coverage.js";
import { leadTimeDays } from "./lead-time.js";
import { defaultTargetOffset, OrderInputError, suggestOrderQuantity } from "./order-quantity.js";
import { currentStock, openOrdersOn } from "./stock-position.js";
import { lastOrderDay } from "./stockout-day.js";

describe("SPEC §4 formulas, against hand-computed cases", () => {
  it("takes the lead time from the article, else the supplier, at least one day", () => {
    expect(leadTimeDays(3, 7)).toBe(3);
    expect(leadTimeDays(null, 7)).toBe(7);
    expect(leadTimeDays(0, 7)).toBe(1);
    expect(leadTimeDays(null, null)).toBe(7);
  });

  it("counts open orders expected by the horizon only when the setting is on", () => {
    const orders = [
      { quantity: 12, expectedDay: 100 },
      { quantity: 6, expectedDay: 110 },
      { quantity: 5, expectedDay: null },
    ];
    expect(currentStock(4, orders, 105, true)).toBe(4 + 12 + 5);
    expect(currentStock(4, orders, 105, false)).toBe(4);
    expect(currentStock(-3, [], 105, true)).toBe(-3); // a negative legacy stock stays visible
  });

  it("tells the orders open at the end of a past day: placed by then, less what had come", () => {
    const lines = [
      // Placed on day 10, 8 of 12 received on day 14, the rest on day 16.
      {
        orderedDay: 10,
        expectedDay: 13,
        quantity: 12,
        receipts: [
          { day: 14, quantity: 8 },
          { day: 16, quantity: 4 },
        ],
        closedDay: null,
      },
      // Placed on day 15, never received, no expected day.
      { orderedDay: 15, expectedDay: null, quantity: 5, receipts: [], closedDay: null },
      // Placed on day 11, 3 of 9 received on day 12, then closed as delivered that day.
      {
        orderedDay: 11,
        expectedDay: 12,
        quantity: 9,
        receipts: [{ day: 12, quantity: 3 }],
        closedDay: 12,
      },
    ];
    expect(openOrdersOn(lines, 11)).toEqual([
      { quantity: 12, expectedDay: 13 },
      { quantity: 9, expectedDay: 12 },
    ]);
    expect(openOrdersOn(lines, 9)).toEqual([]);
    expect(openOrdersOn(lines, 10)).toEqual([{ quantity: 12, expectedDay: 13 }]);
    expect(openOrdersOn(lines, 14)).toEqual([{ quantity: 4, expectedDay: 13 }]);
    expect(openOrdersOn(lines, 15)).toEqual([
      { quantity: 4, expectedDay: 13 },
      { quantity: 5, expectedDay: null },
    ]);
    expect(openOrdersOn(lines, 16)).toEqual([{ quantity: 5, expectedDay: null }]);
  });

  it("rates alerts: critical below zero, warning below three days of sales, else OK", () => {
    // L = 4, F = 5/day: ventes_prevues_delai = 20, ventes_3j = 15.
    const f = [5, 5, 5, 5, 5, 5];
    expect(assessAlert(19, f, 4)).toMatchObject({
      level: "CRITIQUE",
      salesWithinLeadTime: 20,
      remaining: -1,
      threeDaySales: 15,
    });
    expect(assessAlert(20, f, 4).level).toBe("ATTENTION"); // reste = 0
    expect(assessAlert(34.9, f, 4).level).toBe("ATTENTION"); // reste = 14.9 < 15
    expect(assessAlert(35, f, 4).level).toBe("OK"); // reste = 15
    expect(assessAlert(-2, f, 4).level).toBe("CRITIQUE"); // negative legacy stock
    expect(assessAlert(100, null, 4).level).toBe("SANS_PREVISION");
    expect(assessAlert(0, [0, 0, 0], 2).level).toBe("OK"); // nothing expected to sell: reste = 0 = ventes_3j
  });

  it("suggests quantities: margin, rounding up to the pack size, minimum order", () => {
    const f = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
    // Σ F over t…t+6 = 14; (14 − 5) × 1.1 = 9.9 → 2 packs of 6 = 12.
    expect(
      suggestOrderQuantity({
        forecast: f,
        stock: 5,
        targetOffset: 6,
        marginPct: 10,
        packSize: 6,
        minimumOrder: 0,
      }),
    ).toEqual({
      forecastToTarget: 14,
      raw: expect.closeTo(9.9, 9),
      quantity: 12,
    });
    // Same, with a minimum order of 20 units → raised to 24 (a multiple of the pack).
    expect(
      suggestOrderQuantity({
        forecast: f,
        stock: 5,
        targetOffset: 6,
        marginPct: 10,
        packSize: 6,
        minimumOrder: 20,
      }).quantity,
    ).toBe(24);
    // Enough stock: nothing to order, and the minimum does not apply.
    expect(
      suggestOrderQuantity({
        forecast: f,
        stock: 30,
        targetOffset: 6,
        marginPct: 10,
        packSize: 6,
        minimumOrder: 20,
      }).quantity,
    ).toBe(0);
    // Exactly a multiple stays as is: (12 − 0) × 1 = 12 → 12.
    expect(
      suggestOrderQuantity({
        forecast: f,
        stock: 0,
        targetOffset: 5,
        marginPct: 0,
        packSize: 6,
        minimumOrder: 0,
      }).quantity,
    ).toBe(12);
    // A negative legacy stock increases the need: (14 + 3) = 17 → 18.
    expect(
      suggestOrderQuantity({
        forecast: f,
        stock: -3,
        targetOffset: 6,
        marginPct: 0,
        packSize: 6,
        minimumOrder: 0,
      }).quantity,
    ).toBe(18);
  });

  it("rejects a target date in the past or beyond the horizon, and absurd margins", () => {
    const base = { forecast: [1, 1, 1], stock: 0, marginPct: 10, packSize: 1, minimumOrder: 0 };
    expect(() => suggestOrderQuantity({ ...base, targetOffset: -1 })).toThrow(OrderInputError);
    expect(() => suggestOrderQuantity({ ...base, targetOffset: 3 })).toThrow(/horizon/);
    expect(() => suggestOrderQuantity({ ...base, targetOffset: 1, marginPct: Number.NaN })).toThrow(
      /margin/,
    );
  });

  it("sets the default target date to t + L + review period", () => {
    const monday = dayFromIso("2026-11-23");
    // Orders on Monday and Thursday: next order day Monday, then Thursday → review 3 days.
    expect(defaultTargetOffset(monday, 4, parseWeekdayMask("1001000"))).toBe(4 + 3);
    // Orders only on Mondays → review 7 days.
    expect(defaultTargetOffset(monday, 2, parseWeekdayMask("1000000"))).toBe(9);
    expect(defaultTargetOffset(monday, 2, parseWeekdayMask("0000000"))).toBe(9);
  });

  it("gives the last day to order and the days of cover", () => {
    const f = [3, 3, 3, 3, 3, 3];
    expect(lastOrderDay(f, 10, [], 0, true, 2)).toBe(1); // empty on day 3 → order by day 1
    expect(lastOrderDay(f, 100, [], 0, true, 2)).toBeNull();
    expect(lastOrderDay(f, 1, [], 0, true, 2)).toBe(0); // empty before a delivery could come
    expect(daysOfCover(f, 10)).toBe(3);
    expect(daysOfCover(f, 0)).toBe(0);
    expect(daysOfCover(f, 100)).toBeNull();
    expect(classifyCoverage(100, null, 5)).toBe("SURSTOCK");
    expect(classifyCoverage(10, null, 200)).toBe("STOCK_MORT");
    expect(classifyCoverage(0, 0, 1)).toBe("RUPTURE");
  });
});
