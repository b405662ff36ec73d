import { describe, expect, it } from "vitest";
import { isQuietAt, QUIET_MIN_DAYS, runWithoutSale, SUDDEN_STOP } from "./dormancy.js";

/** A year of one sale every `every` days, then `zeros` empty days. */
function series(every: number, zeros: number): Float64Array {
  const sales = new Float64Array(365 + zeros);
  for (let i = 0; i < 365; i += every) sales[i] = 2;
  // The year ends on a sale, so the quiet run is exactly `zeros` days long.
  sales[364] = 2;
  return sales;
}

describe("a series gone quiet", () => {
  it("has gone two weeks without a sale, at least", () => {
    const daily = series(1, QUIET_MIN_DAYS);
    expect(isQuietAt(daily, daily.length)).toBe(true);
    expect(isQuietAt(daily, daily.length - 1)).toBe(false);
  });

  it("has gone twice its usual interval between sales without one", () => {
    // One sale every 10 days (about 10.4 days between sales over the year before): 19 empty
    // days are within twice that, 21 are not.
    const slow = series(10, 19);
    expect(isQuietAt(slow, slow.length)).toBe(false);
    const slower = series(10, 21);
    expect(isQuietAt(slower, slower.length)).toBe(true);
  });

  it("is not made quiet by unknown days (a stock-out, a closed day), nor by never selling", () => {
    const daily = series(1, QUIET_MIN_DAYS);
    daily.fill(Number.NaN, 365, 365 + 10);
    expect(isQuietAt(daily, daily.length)).toBe(false);
    // Unknown days in the run do not break it either: 14 known empty days around them.
    const broken = series(1, QUIET_MIN_DAYS + 5);
    broken.fill(Number.NaN, 370, 375);
    expect(isQuietAt(broken, broken.length)).toBe(true);
    expect(isQuietAt(new Float64Array(400), 400)).toBe(false);
  });

  it("is judged on the days before the day asked about only", () => {
    const daily = series(1, 30);
    daily[daily.length - 1] = 5;
    expect(isQuietAt(daily, daily.length - 1)).toBe(true);
    expect(isQuietAt(daily, daily.length)).toBe(false);
  });
});

/** A year selling `rate` units every day, then `zeros` empty days. */
function steady(rate: number, zeros: number): Float64Array {
  return new Float64Array(365 + zeros).fill(rate, 0, 365);
}

describe("a sudden stop", () => {
  it("is a week without a sale where the year's rate would have sold 20 units", () => {
    // 3 a day: 7 empty days would have sold 21 units; 6 days, 18.
    const stopped = steady(3, SUDDEN_STOP.days);
    expect(isQuietAt(stopped, stopped.length, SUDDEN_STOP)).toBe(true);
    expect(isQuietAt(stopped, stopped.length - 1, SUDDEN_STOP)).toBe(false);
    // Without the rule, a week is too short to call a series quiet.
    expect(isQuietAt(stopped, stopped.length)).toBe(false);
  });

  it("needs a rate that makes the empty run improbable", () => {
    // 2 a day: 7 empty days would have sold 14 units, 10 days 20.
    const slow = steady(2, 7);
    expect(isQuietAt(slow, slow.length, SUDDEN_STOP)).toBe(false);
    const longer = steady(2, 10);
    expect(isQuietAt(longer, longer.length, SUDDEN_STOP)).toBe(true);
  });

  it("takes the rate from the year before the run, and counts known days only", () => {
    // The run's own empty days do not dilute the rate: 1.55 a day over the year before the 13
    // empty days is 20.15 units; over the 365 days before the origin it would be 19.4.
    const stopped = steady(1.55, 13);
    expect(isQuietAt(stopped, stopped.length, SUDDEN_STOP)).toBe(true);
    expect(isQuietAt(stopped, stopped.length)).toBe(false);
    // Unknown days (a stock-out) are not empty days: 7 days of which 2 unknown are 5 known.
    const stockOut = steady(3, SUDDEN_STOP.days);
    stockOut.fill(Number.NaN, 365, 367);
    expect(isQuietAt(stockOut, stockOut.length, SUDDEN_STOP)).toBe(false);
    // Nor do unknown days before the run lower the rate: half the year unknown, 3 a day.
    const halfKnown = steady(3, SUDDEN_STOP.days);
    halfKnown.fill(Number.NaN, 0, 180);
    expect(isQuietAt(halfKnown, halfKnown.length, SUDDEN_STOP)).toBe(true);
  });
});

describe("the run without a sale before a day", () => {
  it("counts the known empty days back to the last sale, skipping unknown ones", () => {
    const sales = Float64Array.from([0, 3, 0, Number.NaN, 0, 0, Number.NaN]);
    expect(runWithoutSale(sales, sales.length)).toEqual({ run: 3, lastSale: 1 });
    expect(runWithoutSale(sales, 2)).toEqual({ run: 0, lastSale: 1 });
    expect(runWithoutSale(sales, 1)).toEqual({ run: 1, lastSale: -1 });
  });
});
