import type { StopRule } from "./dormancy.js";
import type { StoreSeries } from "./model-input.js";

/**
 * Empty shelves the stock table never recorded, read off the sales: a run of open days without a
 * sale, ended by a sale before the origin, over which the series' rate over the year before the
 * run would have sold `rule.units` (Poisson's chance of such a run is e^-units). Those days say
 * what the shelf held, not what customers wanted, so the models read them as unknown (NaN), as a
 * recorded stock-out, instead of as weeks of zero demand dragging the level down.
 *
 * A run still going at the origin is left alone: whether the series has stopped is the quiet
 * rules' question (dormancy.ts), answered with what such runs went on to do.
 */
export interface ShelfGapRule extends StopRule {
  /** Longer runs are left as zeros: a shelf empty that long is an article out of the range. */
  maxDays?: number;
  /** The rate over up to four weeks after the run must make it improbable too. */
  rateAfter?: boolean;
  /** Only runs that ended within this many days of the origin. */
  withinDays?: number;
}

/**
 * `sales` with its unrecorded empty shelves as NaN, on a copy made at the first one found; null
 * where none is found. `sales` itself is never written: the batch shares it across threads, the
 * bench with its references.
 */
export function markShelfGaps(
  sales: Float64Array,
  open: Uint8Array,
  origin: number,
  rule: ShelfGapRule,
): { sales: Float64Array; marked: number } | null {
  let marked: Float64Array | null = null;
  let count = 0;
  let runStart = -1;
  let runDays = 0;
  const end = Math.min(origin, sales.length);
  for (let i = 0; i < end; i++) {
    // An earlier run marked counts as unknown, not as zeros, in the rates of the next.
    const read = marked ?? sales;
    const v = read[i] as number;
    if (open[i] === 0 || !Number.isFinite(v)) continue;
    if (v <= 0) {
      if (runDays === 0) runStart = i;
      runDays++;
      continue;
    }
    if (
      runDays > 0 &&
      isShelfGap(read, open, { from: runStart, to: i, days: runDays, end }, rule)
    ) {
      marked ??= Float64Array.from(sales);
      count += censorRun(marked, open, runStart, i);
    }
    runDays = 0;
  }
  return marked ? { sales: marked, marked: count } : null;
}

const YEAR = 365;

/** A run of `days` open days without a sale over [from, to), the history ending at `end`. */
interface Run {
  from: number;
  to: number;
  days: number;
  end: number;
}

function isShelfGap(
  sales: Float64Array,
  open: Uint8Array,
  { from, to, days, end }: Run,
  rule: ShelfGapRule,
): boolean {
  if (days < rule.days || days > (rule.maxDays ?? Number.POSITIVE_INFINITY)) return false;
  if (end - to > (rule.withinDays ?? Number.POSITIVE_INFINITY)) return false;
  if (meanOfKnown(sales, open, Math.max(0, from - YEAR), from) * days < rule.units) return false;
  return (
    !rule.rateAfter || meanOfKnown(sales, open, to, Math.min(end, to + 28)) * days >= rule.units
  );
}

/** Mean units per known open day over [from, to) (0 without one). */
function meanOfKnown(sales: Float64Array, open: Uint8Array, from: number, to: number): number {
  let sum = 0;
  let known = 0;
  for (let i = from; i < to; i++) {
    const v = sales[i] as number;
    if (open[i] === 0 || !Number.isFinite(v)) continue;
    sum += v;
    known++;
  }
  return known > 0 ? sum / known : 0;
}

function censorRun(sales: Float64Array, open: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    if (open[i] === 0 || !Number.isFinite(sales[i] as number)) continue;
    sales[i] = Number.NaN;
    n++;
  }
  return n;
}

/**
 * The store's series with their unrecorded empty shelves marked (markShelfGaps) on copies of
 * their sales; a series without one is returned as it is.
 */
export function withShelfGaps(
  series: readonly StoreSeries[],
  origin: number,
  rule: ShelfGapRule | null | undefined,
): StoreSeries[] {
  if (!rule) return [...series];
  return series.map((s) => {
    const gaps = markShelfGaps(s.input.sales, s.input.calendar.open, origin, rule);
    if (!gaps) return s;
    return { ...s, input: { ...s.input, sales: gaps.sales }, knownDays: s.knownDays - gaps.marked };
  });
}
