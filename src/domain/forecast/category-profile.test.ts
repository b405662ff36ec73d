import { describe, expect, it } from "vitest";
import { weekdayOfDay } from "../calendar/days.js";
import { forecastFromProfile, weekdayProfile } from "./category-profile.js";
import type { SeriesInput } from "./model-input.js";

const DAYS = 364;
const FIRST_DAY = 19_000;

/** A series over a year and four weeks ahead, its sales by weekday; the store always open. */
function series(salesOn: (weekday: number, t: number) => number, days = DAYS): SeriesInput {
  const length = days + 28;
  const sales = new Float64Array(length).fill(Number.NaN);
  const open = new Uint8Array(length).fill(1);
  for (let t = 0; t < days; t++) sales[t] = salesOn(weekdayOfDay(FIRST_DAY + t), t);
  return {
    sales,
    discount: new Float32Array(length),
    calendar: { firstDay: FIRST_DAY, length, open, events: [] },
  };
}

describe("a category's weekday profile", () => {
  it("keeps the shape of many sales, a mean of 1 over the week", () => {
    const busySaturday = series((w) => (w === 5 ? 30 : 10));
    const profile = weekdayProfile([busySaturday], DAYS);
    const mean = profile.reduce((a, b) => a + b, 0) / 7;
    expect(mean).toBeCloseTo(1, 9);
    // 52 days of 30 and 312 of 10: (Σ v)² / Σ v² = 4680² / 78,000 = 281 days' worth, against
    // 28 of a flat week: 91% of the shape read from the sales (2.33 and 0.78 of the mean).
    const days = 4680 ** 2 / (52 * 30 ** 2 + 312 * 10 ** 2);
    const weight = days / (days + 28);
    expect(profile[5]).toBeCloseTo(weight * (30 / (90 / 7)) + 1 - weight, 9);
    expect(profile[0]).toBeCloseTo(weight * (10 / (90 / 7)) + 1 - weight, 9);
  });

  it("stays near flat when it holds three sales, all on Wednesdays", () => {
    const threeSales = series((w, t) => (w === 2 && t > DAYS - 20 ? 1 : 0));
    const profile = weekdayProfile([threeSales], DAYS);
    for (const value of profile) expect(value).toBeGreaterThan(0.8);
    for (const value of profile) expect(value).toBeLessThan(1.7);
  });

  it("keeps at 0 a weekday the store never opened, whatever its opening mask says", () => {
    const closedSundays = series((w) => 5 + w);
    for (let t = 0; t < DAYS; t++)
      if (weekdayOfDay(FIRST_DAY + t) === 6) {
        closedSundays.sales[t] = Number.NaN;
        closedSundays.calendar.open[t] = 0;
      }
    const profile = weekdayProfile([closedSundays], DAYS);
    expect(profile[6]).toBe(0);
    const forecast = forecastFromProfile(
      series(() => 3, 14),
      14,
      14,
      profile,
    );
    const sundays = Array.from(forecast).filter((_, h) => weekdayOfDay(FIRST_DAY + 14 + h) === 6);
    expect(sundays).toEqual([0, 0]);
  });

  it("counts a spike as one day's evidence, not as many days as its units", () => {
    // 24 days of one unit and one of 40 on a Saturday: the shape is that one day's.
    const spiky = series((_w, t) => (t % 15 === 0 ? (t === 105 ? 40 : 1) : 0));
    const profile = weekdayProfile([spiky], DAYS);
    expect(weekdayOfDay(FIRST_DAY + 105)).toBe(5);
    expect(Math.max(...profile)).toBeLessThan(1.5);
  });

  it("reads no return as a day's demand", () => {
    const withReturns = series((w) => (w === 1 ? -50 : 4));
    const profile = weekdayProfile([withReturns], DAYS);
    expect(profile[1]).toBeGreaterThanOrEqual(0);
    const forecast = forecastFromProfile(withReturns, DAYS, 28, profile);
    for (const value of forecast) expect(value).toBeGreaterThanOrEqual(0);
  });
});
