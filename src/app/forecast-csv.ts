import type { ClosedDays, NamedExportRow } from "../data/optiflow/published-results.js";
import { frenchCsvHead, frenchCsvLine } from "./french-csv.js";

/**
 * The Predictions page's export: the published daily forecasts as a French spreadsheet reads
 * them. The CLI's `predictions export` keeps its own comma-separated format for scripts; this
 * one adds the article's name and the store's closed days (`closed` is 1 on them, 0 otherwise)
 * for a reader who plans the days ahead.
 */
export const FORECAST_CSV_COLUMNS = [
  "date",
  "store",
  "article",
  "name",
  "forecast",
  "p10",
  "p50",
  "p90",
  "model",
  "closed",
] as const;

/** About 100 KB of text: few enough writes, little held in memory per download. */
const LINES_PER_CHUNK = 1500;

/**
 * The file in chunks, header first, read from `rows` only as fast as the download takes them:
 * an export of every forecast of a large chain is tens of megabytes.
 */
export function* forecastCsvChunks(
  rows: Iterable<NamedExportRow>,
  closedDays: ClosedDays | null,
): Generator<string> {
  yield frenchCsvHead(FORECAST_CSV_COLUMNS);
  const closedOf = new Map<number, Set<string>>();
  const closed = (storeId: number, date: string) => {
    let days = closedOf.get(storeId);
    if (!days) {
      days = new Set(closedDays?.[storeId] ?? []);
      closedOf.set(storeId, days);
    }
    return days.has(date) ? 1 : 0;
  };
  let chunk = "";
  let lines = 0;
  for (const r of rows) {
    chunk += frenchCsvLine([
      r.date,
      r.store,
      r.article,
      r.name,
      r.forecast,
      r.p10,
      r.p50,
      r.p90,
      r.model,
      closed(r.storeId, r.date),
    ]);
    if (++lines === LINES_PER_CHUNK) {
      yield chunk;
      chunk = "";
      lines = 0;
    }
  }
  if (chunk) yield chunk;
}
