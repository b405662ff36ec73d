import { describe, expect, it } from "vitest";
import type { SeriesInput } from "../forecast/model-input.js";
import { baselineComparison, baselineWeekTotal, precisionFromWeeklyPairs } from "./precision.js";

describe("the precision beside the 28-day mean", () => {
  const pairs = [
    { weekStart: "2026-11-02", forecast: 12, actual: 10, baseline: 15 },
    { weekStart: "2026-11-02", forecast: 4, actual: 5, baseline: 2 },
    { weekStart: "2026-11-09", forecast: 9, actual: 10, baseline: 10 },
    // No baseline (a series whose history does not reach the day it was forecast on).
    { weekStart: "2026-11-09", forecast: 30, actual: 0 },
  ];

  it("sets both forecasts against the same weeks: those the 28-day mean has", () => {
    // Served: |12−10| + |4−5| + |9−10| = 4 over 25 sold; the mean: 5 + 3 + 0 = 8 over 25.
    expect(baselineComparison(pairs)).toEqual({
      precision: 1 - 8 / 25,
      optiflowPrecision: 1 - 4 / 25,
      pairs: 3,
    });
    // The headline figure keeps every pair: (4 + 30) / 25.
    const figures = precisionFromWeeklyPairs(pairs);
    expect(figures.precision).toBeCloseTo(1 - 34 / 25, 12);
    expect(figures.baseline).toEqual(baselineComparison(pairs));
  });

  it("is null when no pair has a baseline, and leaves the precision null when nothing sold", () => {
    expect(baselineComparison(pairs.slice(3))).toBeNull();
    expect(baselineComparison([{ weekStart: "w", forecast: 1, actual: 0, baseline: 2 }])).toEqual({
      precision: null,
      optiflowPrecision: null,
      pairs: 1,
    });
  });
});

describe("the 28-day mean's week", () => {
  const DAYS = 140;
  const input = (closed: number[] = [], unknown: number[] = []): SeriesInput => {
    const open = new Uint8Array(DAYS).fill(1);
    for (const d of closed) open[d] = 0;
    const sales = new Float64Array(DAYS).fill(3);
    for (const d of unknown) sales[d] = Number.NaN;
    // Sales after the day the forecast is made must not count.
    for (let d = 100; d < DAYS; d++) sales[d] = 50;
    return {
      sales,
      discount: new Float32Array(DAYS),
      calendar: { firstDay: 20_000, length: DAYS, open, events: [] },
    };
  };

  it("is the mean of the 28 days before it was made, on each open day of the week", () => {
    expect(baselineWeekTotal(input(), 100, 100)).toBe(21);
    // Made three days before the week: the same mean, the week's days only.
    expect(baselineWeekTotal(input(), 100, 103)).toBe(21);
    // A closed day in the week sells nothing.
    expect(baselineWeekTotal(input([105]), 100, 103)).toBe(18);
  });

  it("leaves unknown days (a stock-out) out of the mean rather than reading them as zero", () => {
    const withOuts = input([], [80, 81, 82, 83, 84, 85, 86, 87, 88, 89]);
    for (let d = 90; d < 100; d++) withOuts.sales[d] = 6;
    // 18 known days: 8 at 3, 10 at 6 → 84 / 18 a day.
    expect(baselineWeekTotal(withOuts, 100, 100)).toBeCloseTo((7 * (8 * 3 + 10 * 6)) / 18, 12);
  });
});
