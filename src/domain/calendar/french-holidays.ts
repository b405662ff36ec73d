import { dayFromParts, weekdayOfDay } from "./days.js";

/** A dated calendar event, in the shape of the legacy `evenements` table. */
export interface CalendarEvent {
  name: string;
  type: "FERIE" | "VACANCES_SCOLAIRES" | "SOLDES";
  startDay: number;
  /** Inclusive. */
  endDay: number;
}

/** Easter Sunday (Gregorian), anonymous algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromParts(year, month, day);
}

/** The eleven French public holidays (jours fériés) of metropolitan France. */
export function frenchPublicHolidays(year: number): CalendarEvent[] {
  const easter = easterSunday(year);
  const fixed: Array<[string, number, number]> = [
    ["Jour de l'an", 1, 1],
    ["Fête du Travail", 5, 1],
    ["Victoire 1945", 5, 8],
    ["Fête nationale", 7, 14],
    ["Assomption", 8, 15],
    ["Toussaint", 11, 1],
    ["Armistice 1918", 11, 11],
    ["Noël", 12, 25],
  ];
  const holidays = fixed.map(([name, month, day]) => single(name, dayFromParts(year, month, day)));
  holidays.push(single("Lundi de Pâques", easter + 1));
  holidays.push(single("Ascension", easter + 39));
  holidays.push(single("Lundi de Pentecôte", easter + 50));
  return holidays.sort((x, y) => x.startDay - y.startDay);
}

function single(name: string, day: number): CalendarEvent {
  return { name, type: "FERIE", startDay: day, endDay: day };
}

/** The n-th given weekday (0 = Monday) of a month, n starting at 1. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayFromParts(year, month, 1);
  const offset = (weekday - weekdayOfDay(first) + 7) % 7;
  return first + offset + (n - 1) * 7;
}

function lastWeekdayOnOrBefore(day: number, weekday: number): number {
  return day - ((weekdayOfDay(day) - weekday + 7) % 7);
}

/**
 * School holidays, approximated for the Paris zone (zone C): the official calendar is
 * published yearly by decree, so the demo and the forecasts' default calendar use rules that
 * land within a few days of it. A retailer's own `evenements` rows always take precedence.
 */
export function frenchSchoolHolidays(year: number): CalendarEvent[] {
  const saturday = 5;
  const winterStart = nthWeekday(year, 2, saturday, 2);
  const springStart = nthWeekday(year, 4, saturday, 2);
  const summerStart = nthWeekday(year, 7, saturday, 1);
  const autumnStart = nthWeekday(year, 10, saturday, 3);
  const christmasStart = lastWeekdayOnOrBefore(dayFromParts(year, 12, 23), saturday);
  const range = (name: string, start: number, end: number): CalendarEvent => ({
    name,
    type: "VACANCES_SCOLAIRES",
    startDay: start,
    endDay: end,
  });
  return [
    range("Vacances d'hiver", winterStart, winterStart + 15),
    range("Vacances de printemps", springStart, springStart + 15),
    range("Vacances d'été", summerStart, dayFromParts(year, 8, 31)),
    range("Vacances de la Toussaint", autumnStart, autumnStart + 15),
    range("Vacances de Noël", christmasStart, christmasStart + 15),
  ];
}

/** Legal sales periods: from the second Wednesday of January and the last Wednesday of June, 4 weeks. */
export function frenchSalesPeriods(year: number): CalendarEvent[] {
  const wednesday = 2;
  const winter = nthWeekday(year, 1, wednesday, 2);
  const summer = lastWeekdayOnOrBefore(dayFromParts(year, 6, 30), wednesday);
  return [
    { name: "Soldes d'hiver", type: "SOLDES", startDay: winter, endDay: winter + 27 },
    { name: "Soldes d'été", type: "SOLDES", startDay: summer, endDay: summer + 27 },
  ];
}
