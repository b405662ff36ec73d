import { classifyDemand } from "./intermittent.js";

/**
 * A series gone quiet: no sale on its last known days, for longer than twice its usual interval
 * between sales over the year before, and two weeks at least. Censored days (a declared or empty-
 * shelf stock-out, a closed day) are unknown, so they neither make nor break a quiet run: a shelf
 * known to be empty is a stock-out, not a series gone quiet.
 *
 * Where the spec asks (`quietStops`), a sudden stop makes a series quiet too (isSuddenStop):
 * sooner than two weeks, and where the year's sales were too far apart for the rule above.
 *
 * Why it matters: weekly WAPE is minimised by the median of what a week will sell, and after such a
 * run most of these series keep selling nothing while their models, fitted on the weeks before,
 * still forecast their old level. Their calibration is learned apart (calibration.ts).
 */
export const QUIET_MIN_DAYS = 14;
const QUIET_INTERVALS = 2;
const YEAR = 365;

export function isQuietAt(
  sales: Float64Array,
  day: number,
  stops: StopRule | null = null,
): boolean {
  const { run, lastSale } = runWithoutSale(sales, day);
  if (lastSale < 0) return false;
  if (stops && isSuddenStop(sales, lastSale, run, stops)) return true;
  if (run < QUIET_MIN_DAYS) return false;
  // Its usual interval between sales over the year before `day` (ADI; +∞ without a sale).
  const { adi } = classifyDemand(sales.subarray(Math.max(0, day - YEAR), day));
  return run >= QUIET_INTERVALS * adi;
}

/**
 * The known days without a sale just before `day` (unknown days skipped, neither counted nor
 * breaking the run), and the day of the sale before them (−1: none).
 */
export function runWithoutSale(
  sales: Float64Array,
  day: number,
): { run: number; lastSale: number } {
  let run = 0;
  let i = Math.min(day, sales.length) - 1;
  for (; i >= 0; i--) {
    const v = sales[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v > 0) break;
    run++;
  }
  return { run, lastSale: i };
}

/** What makes a run without a sale a sudden stop. */
export interface StopRule {
  /** Empty known days at least... */
  days: number;
  /** ...over which the series' rate over the year before would have sold this many units. */
  units: number;
}

export const SUDDEN_STOP: StopRule = { days: 7, units: 20 };

/**
 * A sudden stop: a run without a sale over which the series' rate over the year before it
 * would have sold `rule.units` (Poisson's chance of that is e^-units): a delisting, a recall, a
 * shelf emptied without the stock saying so. `lastSale` is the day of the run's last sale.
 */
function isSuddenStop(sales: Float64Array, lastSale: number, run: number, rule: StopRule): boolean {
  if (run < rule.days) return false;
  let sum = 0;
  let known = 0;
  for (let i = Math.max(0, lastSale + 1 - YEAR); i <= lastSale; i++) {
    const v = sales[i] as number;
    if (!Number.isFinite(v)) continue;
    sum += Math.max(0, v);
    known++;
  }
  return known > 0 && (sum / known) * run >= rule.units;
}
