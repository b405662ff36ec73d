import { classifyDemand } from "./intermittent.js";

/**
 * A series gone quiet: no sale on its last known days, for longer than twice its usual interval
 * between sales over the year before, and two weeks at least. Censored days (a declared or empty-
 * shelf stock-out, a closed day) are unknown, so they neither make nor break a quiet run: a shelf
 * known to be empty is a stock-out, not a series gone quiet.
 *
 * Why it matters: weekly WAPE is minimised by the median of what a week will sell, and after such a
 * run most of these series keep selling nothing while their models, fitted on the weeks before,
 * still forecast their old level. Their calibration is learned apart (calibration.ts).
 */
export const QUIET_MIN_DAYS = 14;
const QUIET_INTERVALS = 2;
const YEAR = 365;

export function isQuietAt(sales: Float64Array, day: number): boolean {
  let run = 0;
  let i = Math.min(day, sales.length) - 1;
  for (; i >= 0; i--) {
    const v = sales[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v > 0) break;
    run++;
  }
  if (i < 0 || run < QUIET_MIN_DAYS) return false;
  // Its usual interval between sales over the year before `day` (ADI; +∞ without a sale).
  const { adi } = classifyDemand(sales.subarray(Math.max(0, day - YEAR), day));
  return run >= QUIET_INTERVALS * adi;
}
