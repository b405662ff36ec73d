import { dayFromIso } from "../../domain/calendar/days.js";

/**
 * Legacy dates are TEXT; millions of sales rows repeat a few thousand dates, so each distinct
 * string is parsed once. Unreadable dates map to null (reported by the data checks).
 */
export function createDayParser(): (text: unknown) => number | null {
  const cache = new Map<string, number | null>();
  return (text) => {
    if (typeof text !== "string") return null;
    let day = cache.get(text);
    if (day === undefined) {
      try {
        day = dayFromIso(text.slice(0, 10));
      } catch {
        day = null;
      }
      cache.set(text, day);
    }
    return day;
  };
}

export function seriesKey(articleId: number, storeId: number): string {
  return `${articleId}:${storeId}`;
}
