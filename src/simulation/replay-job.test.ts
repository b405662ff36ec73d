import { describe, expect, it } from "vitest";
import { dayFromIso } from "../domain/calendar/days.js";
import { parseWeekdayMask } from "../domain/calendar/opening-days.js";
import { type ReplaySeries, replayJob } from "./replay-job.js";

/**
 * Which real lead time a replayed order takes: the article's own orders of the period where it
 * has them, else its supplier's (the demo's melons: planned and delivered at 5 days by a supplier
 * whose other articles come in 1 were replayed at 1, and thrown away as they piled up).
 */
const MONDAY = dayFromIso("2026-06-01");
const DAYS = 14;

function series(articleLeadTimes: ReplaySeries["articleLeadTimes"]): ReplaySeries {
  return {
    articleId: 1,
    storeId: 1,
    reference: "A1",
    name: "melon",
    storeCode: "M1",
    supplierId: 7,
    articleLeadTimes,
    fallbackLeadTime: 5,
    eco: { unitCost: 1, shelfPrice: 2, unitMargin: 0.5 },
    actual: { endStock: new Float64Array(DAYS), orderLines: 0, receipts: new Map() },
    input: {
      days: DAYS,
      firstDay: MONDAY,
      sales: new Float64Array(DAYS).fill(3),
      stockOut: new Uint8Array(DAYS),
      open: new Uint8Array(DAYS).fill(1),
      initialStock: 0,
      arrivals: new Map(),
      forecasts: [0, 1].map(() => ({ mean: new Float64Array(40).fill(3), phi: 0 })),
      leadTime: 5,
      orderDays: parseWeekdayMask("1000000"),
      marginPct: 0,
      serviceLevel: 0.9,
      delays: [],
      usualLeadTime: 5,
      packSize: 1,
      minimumOrder: 0,
      shelfLifeDays: null,
      safetyStock: null,
      countOpenOrders: true,
    },
  };
}

const job = (s: ReplaySeries) => ({
  series: [s],
  // The supplier's orders of the period all came the next day.
  received: [
    [
      7,
      [
        { orderedOn: MONDAY, days: 1 },
        { orderedOn: MONDAY + 7, days: 1 },
      ],
    ],
  ] as [number, { orderedOn: number; days: number }[]][],
  policies: ["marge"] as const,
  carryingCostRate: 0.2,
});

describe("the lead time a replayed order takes", () => {
  it("is the article's own where it has its own orders in the period", () => {
    const own = [
      { orderedOn: MONDAY, days: 5 },
      { orderedOn: MONDAY + 7, days: 6 },
    ];
    const [row] = replayJob(job(series(own))).rows;
    // Orders on the two Mondays, arriving 5 and 6 days later as the article's did.
    expect(row?.orderDays).toEqual([0, 7]);
    // Nothing on the shelf until day 5: five days of 3 units lost.
    expect(row?.optiflow.lostUnits).toBe(15);
  });

  it("is the supplier's otherwise", () => {
    const [row] = replayJob(job(series(null))).rows;
    expect(row?.orderDays).toEqual([0, 7]);
    // Delivered on day 1: only Monday's sales are lost.
    expect(row?.optiflow.lostUnits).toBe(3);
  });
});
