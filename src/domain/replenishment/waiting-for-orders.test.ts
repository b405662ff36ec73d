import { describe, expect, it } from "vitest";
import { isoFromDay } from "../calendar/days.js";
import { emptySuggestion } from "./empty-suggestion.js";
import { suggestQuantities } from "./risk-aware-quantity.js";
import { salesMissedWhileWaiting } from "./stockout-day.js";
import {
  MIN_MISSED_UNITS,
  missedWhileWaiting,
  type OrdersOnTheirWay,
  withWaitingNotes,
} from "./waiting-for-orders.js";

const TODAY = 20_000;
const rate = (perDay: number, days = 20) => new Array<number>(days).fill(perDay);

describe("the sales a shelf misses while it waits for an order due after one placed today", () => {
  // The example of its comment: 30 on the shelf, 10 a day, 200 due on day 10, lead time 5.
  const late = [{ quantity: 200, expectedDay: TODAY + 10 }];
  const order = { arrival: 5, lastDay: 13, quantity: 0 };

  it("counts the days from an order placed today's arrival to the late delivery", () => {
    // Empty from day 3; days 3 and 4 no order placed today could fill; days 5 to 9 it could.
    expect(salesMissedWhileWaiting(rate(10), 30, late, TODAY, true, order)).toEqual({
      units: 50,
      firstDay: 5,
      lateDelivery: 10,
    });
  });

  it("counts what the quantity ordered today leaves missed", () => {
    const with20 = { ...order, quantity: 20 };
    // 20 units on day 5 last two days: days 7 to 9 are still missed.
    expect(salesMissedWhileWaiting(rate(10), 30, late, TODAY, true, with20)).toEqual({
      units: 30,
      firstDay: 7,
      lateDelivery: 10,
    });
    expect(
      salesMissedWhileWaiting(rate(10), 30, late, TODAY, true, { ...order, quantity: 50 }),
    ).toBeNull();
  });

  it("names the delivery that ends the wait, not a later one", () => {
    // 200 more on day 10, and 15 on day 12 the shelf no longer waits for.
    const two = [...late, { quantity: 15, expectedDay: TODAY + 12 }];
    expect(salesMissedWhileWaiting(rate(10), 30, two, TODAY, true, order)).toEqual({
      units: 50,
      firstDay: 5,
      lateDelivery: 10,
    });
    // 20 on day 7 refill it for two days: days 5, 6 and 9 missed, the wait ended on day 10.
    const partial = [{ quantity: 20, expectedDay: TODAY + 7 }, ...late];
    expect(salesMissedWhileWaiting(rate(10), 30, partial, TODAY, true, order)).toEqual({
      units: 30,
      firstDay: 5,
      lateDelivery: 10,
    });
  });

  it("says nothing when the goods on order come in time, or are not counted", () => {
    const inTime = [{ quantity: 200, expectedDay: TODAY + 5 }];
    expect(salesMissedWhileWaiting(rate(10), 30, inTime, TODAY, true, order)).toBeNull();
    expect(salesMissedWhileWaiting(rate(10), 30, late, TODAY, false, order)).toBeNull();
    // Due after the target date: not waited for within it.
    expect(
      salesMissedWhileWaiting(rate(10), 30, late, TODAY, true, { ...order, lastDay: 9 }),
    ).toBeNull();
    // A shelf that lasts until the delivery misses nothing.
    expect(salesMissedWhileWaiting(rate(10), 100, late, TODAY, true, order)).toBeNull();
  });

  it("counts nothing on a day with nothing to sell (closed, or no forecast)", () => {
    const f = rate(10);
    f[6] = 0;
    f[7] = Number.NaN;
    expect(salesMissedWhileWaiting(f, 30, late, TODAY, true, order)?.units).toBe(30);
  });
});

describe("withWaitingNotes", () => {
  const orders: OrdersOnTheirWay = {
    forecast: rate(10),
    onHand: 30,
    openOrders: [{ quantity: 200, expectedDay: TODAY + 10 }],
    today: TODAY,
    countOpenOrders: true,
    leadTime: 5,
    targetOffset: 13,
  };
  const suggestion = suggestQuantities({
    forecast: orders.forecast,
    phi: 0.2,
    stockAtTarget: 230,
    stockAtLeadTime: 30,
    targetOffset: 13,
    leadTime: 5,
    marginPct: 10,
    packSize: 1,
    minimumOrder: 0,
    serviceLevel: 0.95,
    delays: [],
    shelfLifeDays: null,
    safetyStock: null,
  });

  it("notes both quantities the brief's formula leaves at 0 though the shelf waits", () => {
    expect([suggestion.margin.quantity, suggestion.service.quantity]).toEqual([0, 0]);
    const noted = withWaitingNotes(suggestion, orders);
    const note = {
      code: "sales_missed_while_waiting",
      units: 50,
      from: isoFromDay(TODAY + 5),
      until: isoFromDay(TODAY + 10),
    };
    expect(noted.margin.notes).toEqual([note]);
    expect(noted.service.notes).toEqual([note]);
    // The quantities themselves stay the formula's (SPEC §4).
    expect([noted.margin.quantity, noted.service.quantity]).toEqual([0, 0]);
  });

  it("says nothing under one unit, nor when the orders come in time", () => {
    const slow = { ...orders, forecast: rate(0.1), onHand: 0 };
    // 0.5 units over days 5 to 9.
    expect(withWaitingNotes(suggestion, slow).margin.notes).toEqual([]);
    expect(MIN_MISSED_UNITS).toBe(1);
    const inTime = { ...orders, openOrders: [{ quantity: 200, expectedDay: TODAY + 5 }] };
    expect(withWaitingNotes(suggestion, inTime)).toEqual(suggestion);
  });
});

describe("missedWhileWaiting, as the pages read the stored notes", () => {
  const note = {
    code: "sales_missed_while_waiting",
    quantity: "service",
    units: 12.5,
    from: "2026-12-09",
    until: "2026-12-12",
  } as const;

  it("reads the note of the quantity in force only", () => {
    const expected = { units: 12.5, from: "2026-12-09", until: "2026-12-12" };
    expect(missedWhileWaiting([note], "niveau_de_service")).toEqual(expected);
    expect(missedWhileWaiting([note], "marge")).toBeNull();
    expect(missedWhileWaiting([{ ...note, units: "12" }], "niveau_de_service")).toBeNull();
  });

  it("keeps a flagged row with nothing to order from being called covered", () => {
    const row = {
      level: "CRITIQUE",
      suggestedQty: 0,
      onHand: 0,
      stockAtTarget: 200,
      quantityNotes: [note],
    };
    expect(emptySuggestion(row, "niveau_de_service")).toBeNull();
    expect(emptySuggestion(row, "marge")).toBe("covered_with_orders");
  });
});
