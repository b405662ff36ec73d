import { describe, expect, it } from "vitest";
import { isoFromDay, weekdayOfDay } from "./days.js";
import {
  easterSunday,
  frenchPublicHolidays,
  frenchSalesPeriods,
  frenchSchoolHolidays,
} from "./french-holidays.js";

describe("French calendar", () => {
  it("computes Easter Sunday", () => {
    expect(isoFromDay(easterSunday(2024))).toBe("2024-03-31");
    expect(isoFromDay(easterSunday(2025))).toBe("2025-04-20");
    expect(isoFromDay(easterSunday(2026))).toBe("2026-04-05");
  });

  it("lists the eleven public holidays with the movable ones", () => {
    const holidays = frenchPublicHolidays(2025);
    expect(holidays).toHaveLength(11);
    const byName = new Map(holidays.map((h) => [h.name, isoFromDay(h.startDay)]));
    expect(byName.get("Lundi de Pâques")).toBe("2025-04-21");
    expect(byName.get("Ascension")).toBe("2025-05-29");
    expect(byName.get("Lundi de Pentecôte")).toBe("2025-06-09");
    expect(byName.get("Noël")).toBe("2025-12-25");
  });

  it("starts school holidays on a Saturday and sales on a Wednesday", () => {
    for (const h of frenchSchoolHolidays(2026).filter((x) => x.name !== "Vacances d'été")) {
      expect(weekdayOfDay(h.startDay)).toBe(5);
      expect(h.endDay - h.startDay).toBe(15);
    }
    const [winter, summer] = frenchSalesPeriods(2026);
    expect(isoFromDay(winter!.startDay)).toBe("2026-01-14");
    expect(weekdayOfDay(summer!.startDay)).toBe(2);
  });
});
