import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { dayFromIso } from "../../src/domain/calendar/days.js";
import type { SeriesInput, StoreCalendar } from "../../src/domain/forecast/model-input.js";

/**
 * ../shared/data beside the repository, found from this file's folder up to package.json: the
 * same from bench/datasets/ (Vitest) as from dist/bench/datasets/ (`npm run bench`).
 */
export const SHARED_DATA = join(repositoryRoot(), "..", "shared", "data");

/** The folder of package.json above this file. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * A data set as the rolling-origin bench sees it: whole histories, store by store. Nothing is
 * hidden here; the protocol masks everything after each origin before a model sees it.
 */
export interface BenchPanel {
  name: string;
  description: string;
  /** Day number of index 0 and the number of days, shared by every store. */
  firstDay: number;
  length: number;
  stores: BenchStore[];
  /** Sales are counts (units); Prophet's example is page views. */
  continuous?: boolean;
}

export interface BenchStore {
  id: string;
  calendar: StoreCalendar;
  /**
   * The legacy weekly opening mask ('1111110'), where the source has one (a legacy database);
   * elsewhere the bench reads it from the days before each origin (weeklyMaskBefore).
   */
  openingMask?: string;
  series: BenchSeries[];
}

export interface BenchSeries {
  id: string;
  /** The whole history: sales NaN where unknown (stock-out, closed, before listing). */
  input: SeriesInput;
  categoryId: number | null;
  /** Its key in the batch ("article id:store id"; legacy-keys.ts), where the bench set one. */
  legacyKey?: string;
}

/** A calendar event row of the public data sets (`date,name,type` or `date,event`). */
export interface EventRow {
  date: string;
  type: string;
}

export function readCsvRows(url: URL): string[][] {
  return readFileSync(url, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.replaceAll('"', "").split(","));
}

/** Event indicators by type over [firstDay, firstDay + length). */
export function eventIndicators(
  rows: readonly EventRow[],
  firstDay: number,
  length: number,
): StoreCalendar["events"] {
  const byType = new Map<string, Uint8Array>();
  for (const { date, type } of rows) {
    const i = dayFromIso(date) - firstDay;
    if (i < 0 || i >= length) continue;
    const active = byType.get(type) ?? new Uint8Array(length);
    active[i] = 1;
    byType.set(type, active);
  }
  return [...byType.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, active]) => ({ type, active }));
}

/**
 * Days a whole store sold nothing (Christmas at Walmart): closed, as the batch infers from the
 * legacy sales. Needs enough series for "nothing at all" to mean closed.
 */
export function closedDays(series: readonly Float64Array[], length: number): Uint8Array {
  const open = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    for (const sales of series) {
      const v = sales[i] as number;
      if (Number.isFinite(v) && v > 0) {
        open[i] = 1;
        break;
      }
    }
  }
  return open;
}
