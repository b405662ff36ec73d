import { describe, expect, it } from "vitest";
import { isQuietAt, QUIET_MIN_DAYS } from "./dormancy.js";

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
