import { describe, expect, it } from "vitest";
import { dayFromIso, weekdayOfDay } from "../calendar/days.js";
import { parseWeekdayMask } from "../calendar/opening-days.js";
import { actualFigures, replayFigures, savingsOf, unitEconomics } from "./outcome.js";
import { type ReplayInput, replaySeries } from "./replay-series.js";

/**
 * Three articles replayed by hand over three weeks from Monday 2026-06-01 (issue 15): every
 * order date, quantity, delivery and lost sale below was worked out on paper from SPEC §4's
 * formulas, with forecasts that are exact so that the arithmetic stays exact.
 */
const MONDAY = dayFromIso("2026-06-01");
const DAYS = 21;

function flatForecasts(perDay: (h: number) => number, phi = 0) {
  return [0, 1, 2].map(() => ({
    mean: Float64Array.from({ length: 63 }, (_, h) => perDay(h)),
    phi,
  }));
}

function base(overrides: Partial<ReplayInput>): ReplayInput {
  return {
    days: DAYS,
    firstDay: MONDAY,
    sales: new Float64Array(DAYS),
    stockOut: new Uint8Array(DAYS),
    open: new Uint8Array(DAYS).fill(1),
    initialStock: 0,
    arrivals: new Map(),
    forecasts: flatForecasts(() => 0),
    leadTime: 7,
    actualLeadTime: () => 7,
    orderDays: parseWeekdayMask("1000000"),
    policy: "marge",
    marginPct: 0,
    serviceLevel: 0.95,
    delays: [],
    usualLeadTime: null,
    packSize: 1,
    minimumOrder: 0,
    shelfLifeDays: null,
    safetyStock: null,
    countOpenOrders: true,
    ...overrides,
  };
}

describe("replay of one article, worked out by hand", () => {
  it("is a Monday", () => expect(weekdayOfDay(MONDAY)).toBe(0));

  it("A: steady seller, Monday orders, pack of 6, +10%: three orders, nothing lost", () => {
    const out = replaySeries(
      base({
        sales: new Float64Array(DAYS).fill(4),
        forecasts: flatForecasts(() => 4),
        initialStock: 20,
        leadTime: 3,
        actualLeadTime: () => 3,
        packSize: 6,
        marginPct: 10,
      }),
    );
    // Target = t + L + 7 = 10 days ahead: 11 days × 4 = 44 to cover.
    // Mon 0: (44 − 20) × 1.1 = 26.4 → 30; Mon 7: (44 − 22) × 1.1 = 24.2 → 30; Mon 14: 22 → 24.
    expect(out.orders).toEqual([
      { day: 0, quantity: 30, arrival: 3 },
      { day: 7, quantity: 30, arrival: 10 },
      { day: 14, quantity: 24, arrival: 17 },
    ]);
    expect(out.lostUnits).toBe(0);
    expect(out.stockOutDays).toBe(0);
    expect(Array.from(out.endStock)).toEqual([
      16, 12, 8, 34, 30, 26, 22, 18, 14, 10, 36, 32, 28, 24, 20, 16, 12, 32, 28, 24, 20,
    ]);
  });

  it("B: a supplier planned at 2 days that takes 5: what the late deliveries cost", () => {
    const out = replaySeries(
      base({
        sales: new Float64Array(DAYS).fill(10),
        forecasts: flatForecasts(() => 10),
        initialStock: 15,
        leadTime: 2,
        actualLeadTime: () => 5,
        orderDays: parseWeekdayMask("1111100"),
      }),
    );
    // An order counts as on order from the day it is placed, as due on its planned day (placed
    // + 2), and still as due once late: the morning cannot know it will take 5 days.
    expect(out.orders).toEqual([
      { day: 0, quantity: 25, arrival: 5 }, // 4 days × 10 − 15
      { day: 1, quantity: 10, arrival: 6 }, // 40 − (5 + 25 due on day 2)
      { day: 2, quantity: 5, arrival: 7 }, // 40 − (0 + 25 + 10)
      // Day 3: 40 − (25 + 10 + 5) = 0. Friday: 6 days × 10 − 40.
      { day: 4, quantity: 20, arrival: 9 },
      // Day 7: 40 − (20 + 20 due on day 6) = 0.
      { day: 8, quantity: 10, arrival: 13 }, // 40 − (10 + 20)
      { day: 9, quantity: 10, arrival: 14 }, // 40 − (20 + 10)
      { day: 10, quantity: 10, arrival: 15 }, // 40 − (10 + 10 + 10)
      { day: 11, quantity: 30, arrival: 16 }, // Friday: 60 − (0 + 10 + 10 + 10)
      // Days 14 and 15: 40 − (10 + 40) and 40 − (10 + 30), nothing.
      { day: 16, quantity: 10, arrival: 21 }, // 40 − 30
      { day: 17, quantity: 10, arrival: 22 }, // 40 − (20 + 10)
      { day: 18, quantity: 30, arrival: 23 }, // Friday: 60 − (10 + 10 + 10)
    ]);
    expect(Array.from(out.lost)).toEqual([
      0, 5, 10, 10, 10, 0, 0, 0, 0, 0, 0, 10, 10, 0, 0, 0, 0, 0, 0, 10, 10,
    ]);
    expect(out.lostUnits).toBe(75);
    expect(Array.from(out.endStock)).toEqual([
      5, 0, 0, 0, 0, 15, 15, 10, 0, 10, 0, 0, 0, 0, 0, 0, 20, 10, 0, 0, 0,
    ]);
    // Days short (1–4, 11, 12, 19, 20), plus the days that end on an empty shelf.
    expect(out.stockOutDays).toBe(14);
  });

  it("C: closed Sundays, a real delivery on order before the period, the retailer's own stock-outs, a minimum order", () => {
    const openDay = (h: number) => (h % 7 === 6 ? 0 : 1);
    const sales = Float64Array.from({ length: DAYS }, (_, i) => 3 * openDay(i));
    sales[2] = 1; // the retailer ran short on days 2 and 3: demand unknown
    sales[3] = 0;
    const stockOut = new Uint8Array(DAYS);
    stockOut[2] = 1;
    stockOut[3] = 1;
    const input = base({
      sales,
      stockOut,
      open: Uint8Array.from({ length: DAYS }, (_, i) => openDay(i)),
      forecasts: flatForecasts((h) => 3 * openDay(h)),
      initialStock: 10,
      arrivals: new Map([[4, 40]]),
      minimumOrder: 50,
    });
    const out = replaySeries(input);
    // Mon 0: 13 open days × 3 = 39 ≤ 10 + 40 due: nothing. Mon 7: 39 − 34 = 5 → the minimum, 50.
    expect(out.orders).toEqual([{ day: 7, quantity: 50, arrival: 14 }]);
    // Day 2: demand estimated at 3 (forecast) and served; day 3: 1 left for a demand of 3.
    expect(Array.from(out.lost)).toEqual([0, 0, 0, 2, ...new Array(17).fill(0)]);
    expect(out.estimatedDays).toBe(2);
    expect(out.stockOutDays).toBe(1);
    expect(out.endStock[20]).toBe(48);

    // What really happened: the same two days out, 2 + 3 units lost by the same estimate.
    const eco = unitEconomics(2, 6, 20); // margin per unit: 6 / 1.2 − 2 = 3
    const actual = actualFigures(
      input,
      { endStock: new Float64Array(DAYS).fill(30), orderLines: 2, receipts: new Map() },
      eco,
    );
    expect(actual).toMatchObject({
      stockOutDays: 2,
      lostUnits: 5,
      lostRevenue: 30,
      lostMargin: 15,
    });
    const replayed = replayFigures(out, eco);
    expect(replayed).toMatchObject({ stockOutDays: 1, lostUnits: 2, lostMargin: 6, orderLines: 1 });
    const mean = Array.from(out.endStock).reduce((a, b) => a + b, 0) / DAYS;
    expect(replayed.averageStockValue).toBeCloseTo(mean * 2, 9);
    // Savings = (60 − replayed average) × 20% × 21/365 + (15 − 6).
    const savings = savingsOf(actual, replayed, DAYS, 0.2);
    expect(savings.margin).toBe(9);
    expect(savings.carrying).toBeCloseTo((60 - mean * 2) * 0.2 * (21 / 365), 9);
    expect(savings.total).toBeCloseTo(savings.carrying + 9, 9);
  });

  it("orders only on the supplier's order days, and only from forecasts made before the day", () => {
    const input = base({
      sales: new Float64Array(DAYS).fill(5),
      forecasts: flatForecasts(() => 5),
      orderDays: parseWeekdayMask("0010100"),
      policy: "niveau_de_service",
      leadTime: 2,
      actualLeadTime: () => 2,
    });
    const out = replaySeries(input);
    expect(out.orders.length).toBeGreaterThan(0);
    for (const o of out.orders) expect([2, 4]).toContain(weekdayOfDay(MONDAY + o.day));
    // A different future changes nothing before it: sales and forecasts from day 10 on.
    const changed = replaySeries({
      ...input,
      sales: Float64Array.from(input.sales, (v, i) => (i >= 10 ? 50 : v)),
      forecasts: [...input.forecasts.slice(0, 1), null, null],
    });
    expect(changed.orders.filter((o) => o.day < 7)).toEqual(out.orders.filter((o) => o.day < 7));
    expect(Array.from(changed.endStock.subarray(0, 7))).toEqual(
      Array.from(out.endStock.subarray(0, 7)),
    );
  });

  it("D: a perishable over-ordered: what passes its shelf life is thrown away, on both sides alike", () => {
    // Shelf life 3 days, lead time 1, Monday orders, forecast 2 a day for sales of 1.
    const input = base({
      sales: new Float64Array(DAYS).fill(1),
      forecasts: flatForecasts(() => 2),
      leadTime: 1,
      actualLeadTime: () => 1,
      shelfLifeDays: 3,
    });
    const out = replaySeries(input);
    // Target = t + 1 + 7: 9 days × 2 = 18 on each Monday, the shelf empty each time.
    expect(out.orders).toEqual([
      { day: 0, quantity: 18, arrival: 1 },
      { day: 7, quantity: 18, arrival: 8 },
      { day: 14, quantity: 18, arrival: 15 },
    ]);
    // Each lot sells 3 units (its days 1–3) and its other 15 go on its fourth morning; the
    // shelf is then empty until the next delivery: 12 units lost, 54 = 9 sold + 45 thrown away.
    expect(out.expiredUnits).toBe(45);
    expect(out.lostUnits).toBe(12);
    expect(Array.from(out.endStock)).toEqual([
      0, 17, 16, 15, 0, 0, 0, 0, 17, 16, 15, 0, 0, 0, 0, 17, 16, 15, 0, 0, 0,
    ]);
    expect(out.stockOutDays).toBe(12);
    // The same article as if it kept: nothing thrown away, nothing lost after the first day.
    const keeping = replaySeries({ ...input, shelfLifeDays: null });
    expect(keeping.expiredUnits).toBe(0);
    expect(keeping.lostUnits).toBe(1);

    // What really happened: 10 received on days 1 and 8, the same sales. The day-1 lot sells 3
    // and loses 7 on day 4; the day-8 lot the same on day 11: 14 thrown away.
    const eco = unitEconomics(2, 6, 20);
    const actual = actualFigures(
      input,
      {
        endStock: new Float64Array(DAYS),
        orderLines: 2,
        receipts: new Map([
          [1, 10],
          [8, 10],
        ]),
      },
      eco,
    );
    expect(actual).toMatchObject({ expiredUnits: 14, expiredValue: 28 });
    const replayed = replayFigures(out, eco);
    expect(replayed).toMatchObject({ expiredUnits: 45, expiredValue: 90 });
    const savings = savingsOf(actual, replayed, DAYS, 0.2);
    expect(savings.expired).toBe(28 - 90);
    expect(savings.total).toBeCloseTo(savings.carrying + savings.margin - 62, 9);
  });
});
