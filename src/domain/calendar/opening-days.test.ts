import { describe, expect, it } from "vitest";
import { dayFromIso, isoFromDay, yearOfDay } from "./days.js";
import { easterSunday } from "./french-holidays.js";
import { parseWeekdayMask, STRAY_SALES_SHARE, storeOpenDays, strayDays } from "./opening-days.js";

const firstDay = dayFromIso("2023-06-01");
const today = dayFromIso("2026-06-01");
const historyDays = today - firstDay;
const length = historyDays + 400;

/** Open every day ahead of `today`, per the rule, for a store closed on `closedOn` in its past. */
function openAhead(mask: string, closedOn: (day: number) => boolean) {
  const open = storeOpenDays(
    parseWeekdayMask(mask),
    (day) => !closedOn(day),
    firstDay,
    historyDays,
    length,
  );
  return (iso: string) => open[dayFromIso(iso) - firstDay] === 1;
}

const easterMonday = (day: number) => day === easterSunday(yearOfDay(day)) + 1;

describe("a store's open days ahead", () => {
  it("closes the days set by Easter that the store was closed on every past year", () => {
    const isOpen = openAhead("1111111", easterMonday);
    // Easter 2027 is on 28 March: Easter Monday on the 29th, Ascension on 6 May.
    expect(isOpen("2027-03-29")).toBe(false);
    expect(isOpen("2027-03-30")).toBe(true);
    expect(isOpen("2027-05-06")).toBe(true);
    // Each past Easter Monday's date was an ordinary day in the other years (the date rule alone
    // never saw the closure recur), and is one ahead.
    expect(isOpen("2027-04-06")).toBe(true);
  });

  it("keeps the calendar dates the store was always closed on, and opens the others", () => {
    const christmas = (day: number) => isoFromDay(day).endsWith("-12-25");
    const once = (day: number) => isoFromDay(day) === "2025-07-14";
    const isOpen = openAhead("1111111", (day) => christmas(day) || once(day));
    expect(isOpen("2026-12-25")).toBe(false);
    // Closed on one 14 July of three: an exception, not the store's habit.
    expect(isOpen("2026-07-14")).toBe(true);
  });

  it("opens a day set by Easter the store was closed on in some years only", () => {
    const y2024 = easterSunday(2024) + 1;
    const isOpen = openAhead("1111111", (day) => day === y2024);
    expect(isOpen("2027-03-29")).toBe(true);
  });

  it("follows the weekly mask, and takes the past as sold days, whatever the mask", () => {
    // Closed on Sundays: Easter Sunday was never seen open, so nothing is learned from it.
    const open = storeOpenDays(
      parseWeekdayMask("1111110"),
      (day) => isoFromDay(day) !== "2024-01-10",
      firstDay,
      historyDays,
      length,
    );
    const at = (iso: string) => open[dayFromIso(iso) - firstDay];
    expect(at("2027-03-28")).toBe(0);
    expect(at("2027-03-29")).toBe(1);
    expect(at("2024-01-10")).toBe(0);
    // A Sunday with sales in the past is an open day: the history says what happened.
    expect(at("2024-01-14")).toBe(1);
  });
});

describe("stray sales on a closed day", () => {
  const christmas = (day: number) => isoFromDay(day).endsWith("-12-25");

  it("close a date ahead when every past occurrence sold almost nothing", () => {
    // Each past Christmas sold a few stray units: open by the sales alone, nearly closed.
    const sold = () => true;
    const plain = storeOpenDays(parseWeekdayMask("1111111"), sold, firstDay, historyDays, length);
    const strayAware = storeOpenDays(
      parseWeekdayMask("1111111"),
      sold,
      firstDay,
      historyDays,
      length,
      christmas,
    );
    const at = (open: Uint8Array, iso: string) => open[dayFromIso(iso) - firstDay];
    expect(at(plain, "2026-12-25")).toBe(1);
    expect(at(strayAware, "2026-12-25")).toBe(0);
    expect(at(strayAware, "2026-12-24")).toBe(1);
    // The history keeps what happened: those days sold, they stay open there.
    expect(at(strayAware, "2024-12-25")).toBe(1);
  });

  it("keep a date open ahead when one past occurrence traded", () => {
    const nearly = (day: number) => christmas(day) && isoFromDay(day) !== "2024-12-25";
    const open = storeOpenDays(
      parseWeekdayMask("1111111"),
      () => true,
      firstDay,
      historyDays,
      length,
      nearly,
    );
    expect(open[dayFromIso("2026-12-25") - firstDay]).toBe(1);
  });

  it("are the days under a tenth of the store's median day with a sale", () => {
    expect(STRAY_SALES_SHARE).toBe(0.1);
    // Median day with a sale: 200, so under 20 is stray (15 and 1), 25 is not; 0 sold nothing
    // (closed, not stray).
    expect([...strayDays([200, 200, 0, 15, 25, 200, 200, 1])].sort()).toEqual([3, 7]);
    expect(strayDays([0, 0]).size).toBe(0);
  });
});
