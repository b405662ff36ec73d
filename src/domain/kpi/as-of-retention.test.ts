import { describe, expect, it } from "vitest";
import { dayFromIso, weekdayOfDay } from "../calendar/days.js";
import { asOfKeepRanges } from "./as-of-retention.js";

const MONDAY = dayFromIso("2026-11-02");

describe("the forecasts a past run keeps for the stored precision", () => {
  it("is one calendar week per nightly run: the week starting on the Monday it is the latest run for", () => {
    expect(weekdayOfDay(MONDAY)).toBe(0);
    // A run every night for three weeks.
    const runs = Array.from({ length: 21 }, (_, k) => ({ id: k + 1, today: MONDAY + k }));
    const ranges = asOfKeepRanges(runs, MONDAY, MONDAY + 20);
    // Only the Monday runs serve a week; the other nights keep nothing.
    expect([...ranges.keys()].sort((a, b) => a - b)).toEqual([1, 8, 15]);
    expect(ranges.get(8)).toEqual({ first: MONDAY + 7, last: MONDAY + 13 });
  });

  it("serves the following Mondays from the latest earlier run when nights are missing", () => {
    // Wednesday runs only, and a gap of two weeks.
    const runs = [
      { id: 1, today: MONDAY + 2 },
      { id: 2, today: MONDAY + 9 },
      { id: 3, today: MONDAY + 30 },
    ];
    const ranges = asOfKeepRanges(runs, MONDAY, MONDAY + 35);
    expect(ranges.get(1)).toEqual({ first: MONDAY + 7, last: MONDAY + 13 });
    // Run 2 is the latest for the Mondays of weeks 3, 4 and 5: its days 5 to 25 are kept.
    expect(ranges.get(2)).toEqual({ first: MONDAY + 14, last: MONDAY + 34 });
    expect(ranges.get(3)).toEqual({ first: MONDAY + 35, last: MONDAY + 41 });
    // Two runs on the same day: the later one (higher id) serves.
    const same = asOfKeepRanges(
      [
        { id: 5, today: MONDAY },
        { id: 4, today: MONDAY },
      ],
      MONDAY,
      MONDAY,
    );
    expect([...same.keys()]).toEqual([5]);
  });
});
