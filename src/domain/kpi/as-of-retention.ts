import { weekStartOfDay } from "../calendar/days.js";

export interface RetainedRun {
  id: number;
  /** The run's day (day number). */
  today: number;
}

/**
 * Which days of its forecasts each past run must keep so that the precision of stored
 * forecasts (steps 5 and B) can be measured: the week beginning on Monday M is scored with the
 * forecasts of the latest run made on or before M (highest day, then highest id), over M to
 * M + 6. A run therefore keeps the calendar weeks it is the latest run for — with a run every
 * night, one week of its horizon — and nothing else.
 *
 * Returns, per run id, the first and last day to keep (the weeks a run serves are
 * consecutive). Mondays from the week of `fromDay` to `toDay` are considered.
 */
export function asOfKeepRanges(
  runs: readonly RetainedRun[],
  fromDay: number,
  toDay: number,
): Map<number, { first: number; last: number }> {
  const ordered = [...runs].sort((a, b) => a.today - b.today || a.id - b.id);
  const ranges = new Map<number, { first: number; last: number }>();
  let k = -1;
  for (let monday = weekStartOfDay(fromDay); monday <= toDay; monday += 7) {
    while (k + 1 < ordered.length && (ordered[k + 1] as RetainedRun).today <= monday) k++;
    if (k < 0) continue;
    const run = ordered[k] as RetainedRun;
    const range = ranges.get(run.id);
    if (range) range.last = monday + 6;
    else ranges.set(run.id, { first: monday, last: monday + 6 });
  }
  return ranges;
}
