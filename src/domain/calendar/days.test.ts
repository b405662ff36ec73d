import { describe, expect, it } from "vitest";
import {
  addDays,
  dayFromIso,
  InvalidDateError,
  isoFromDay,
  weekdayOfDay,
  weekStartOfDay,
} from "./days.js";

describe("calendar days", () => {
  it("round-trips ISO dates through day numbers", () => {
    for (const date of ["1970-01-01", "2024-02-29", "2026-11-25", "1999-12-31"]) {
      expect(isoFromDay(dayFromIso(date))).toBe(date);
    }
    expect(dayFromIso("1970-01-02")).toBe(1);
  });

  it("rejects impossible and malformed dates", () => {
    for (const bad of [
      "2023-02-29",
      "2024-13-01",
      "2024-1-01",
      "20240101",
      "",
      "2024-02-30",
      "abcd-ef-gh",
    ]) {
      expect(() => dayFromIso(bad)).toThrow(InvalidDateError);
    }
  });

  it("numbers weekdays from Monday = 0, as the legacy masks do", () => {
    expect(weekdayOfDay(dayFromIso("2026-11-23"))).toBe(0); // a Monday
    expect(weekdayOfDay(dayFromIso("2026-11-29"))).toBe(6); // a Sunday
    expect(isoFromDay(weekStartOfDay(dayFromIso("2026-11-29")))).toBe("2026-11-23");
  });

  it("adds days across month and year ends", () => {
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
  });
});
