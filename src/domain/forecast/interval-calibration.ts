import type { DemandClass } from "./intermittent.js";
import { demandCdf } from "./quantiles.js";

/**
 * Calibrated daily intervals (SPEC §5: P10–P90 should hold 8 days in 10).
 *
 * A negative binomial's P10 and P90 of a small count are whole numbers, so the interval between
 * them holds far more than 80% of the days (Poisson of mean 0.3: 0 to 1, 96%), and a model's
 * dispersion can be off either way. The levels that bound the displayed band are therefore
 * chosen per store and demand class so that on the held-out window (which neither selected nor
 * scaled the forecasts) 10% of the days fell below the band and 10% above it — or, where counts
 * are too small to fall below anything, 20% above.
 * Only the displayed daily band moves: order quantities read the distribution itself.
 */
export interface IntervalLevels {
  low: number;
  high: number;
}

export const NOMINAL_LEVELS: IntervalLevels = { low: 0.1, high: 0.9 };
/** The share of days each tail should miss: 10% below, 10% above. */
const TAIL = 0.1;
/** Levels searched: never past these, whatever the held-out days say. */
const LOW_RANGE = [0.02, 0.3] as const;
const HIGH_RANGE = [0.7, 0.98] as const;
const STEP = 0.01;
/** Below this many held-out days a class uses the store's levels. */
export const MIN_INTERVAL_DAYS = 300;
/**
 * Below this many, the store uses the nominal levels. A store of a few series has no more than
 * their held-out days, and the nominal band's own error is larger than their noise: on Prophet's
 * one-series example it held 86.2% of the tuning half's days, 79.6% with levels learned on each
 * window's 28 held-out days (docs/FORECASTING.md, rule 5). Twenty days still leave two in each
 * tail.
 */
export const MIN_STORE_INTERVAL_DAYS = 20;

export interface IntervalSample {
  demandClass: DemandClass;
  /** The served held-out forecast, day by day, and its overdispersion. */
  forecast: ArrayLike<number>;
  phi: number;
  /** What sold on those days; NaN for a day not to score (stock-out, closed). */
  actual: ArrayLike<number>;
}

/**
 * Each held-out day as the two CDF values that place its actual a against any level: a lies
 * below the quantile at level l iff P(X ≤ a) < l, above the one at level h iff P(X ≤ a − 1) ≥ h.
 */
interface Pits {
  atOrBelow: number[];
  below: number[];
}

/** The sample's days into each of `into` (its class's and the store's): each CDF computed once. */
function addPits(sample: IntervalSample, into: readonly Pits[]): void {
  const n = Math.min(sample.forecast.length, sample.actual.length);
  for (let d = 0; d < n; d++) {
    const a = sample.actual[d] as number;
    const m = sample.forecast[d] as number;
    if (!Number.isFinite(a) || !Number.isFinite(m) || a < 0) continue;
    const whole = Math.round(a);
    const below = demandCdf(m, sample.phi, whole - 1);
    const atOrBelow = demandCdf(m, sample.phi, whole);
    for (const pits of into) {
      pits.below.push(below);
      pits.atOrBelow.push(atOrBelow);
    }
  }
}

/** How many of the sorted values are < x. */
function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The level in `range` whose share of missed days is closest to `target`. */
function bestLevel(
  range: readonly [number, number],
  target: number,
  missedShare: (level: number) => number,
): number {
  let best = range[0];
  let bestGap = Number.POSITIVE_INFINITY;
  for (let k = 0; range[0] + k * STEP <= range[1] + 1e-9; k++) {
    const level = Math.round((range[0] + k * STEP) * 100) / 100;
    const gap = Math.abs(missedShare(level) - target);
    if (gap < bestGap - 1e-12) {
      bestGap = gap;
      best = level;
    }
  }
  return best;
}

function levelsOf(pits: Pits): IntervalLevels {
  const atOrBelow = Float64Array.from(pits.atOrBelow).sort();
  const below = Float64Array.from(pits.below).sort();
  const n = atOrBelow.length;
  const low = bestLevel(LOW_RANGE, TAIL, (l) => countBelow(atOrBelow, l) / n);
  // Small counts often cannot fall below any low quantile (it is 0): the upper tail then takes
  // the whole 20%, so that the band still holds 8 days in 10 rather than 9.
  const lowMisses = countBelow(atOrBelow, low) / n;
  const high = bestLevel(HIGH_RANGE, 2 * TAIL - lowMisses, (h) => (n - countBelow(below, h)) / n);
  return { low, high };
}

/** Levels per demand class ("store": every class pooled); a class absent uses the store's. */
export function learnIntervalLevels(
  samples: Iterable<IntervalSample>,
  minStoreDays = MIN_STORE_INTERVAL_DAYS,
): Map<DemandClass | "store", IntervalLevels> {
  const byClass = new Map<DemandClass | "store", Pits>([["store", { atOrBelow: [], below: [] }]]);
  for (const sample of samples) {
    let pits = byClass.get(sample.demandClass);
    if (!pits) {
      pits = { atOrBelow: [], below: [] };
      byClass.set(sample.demandClass, pits);
    }
    addPits(sample, [pits, byClass.get("store") as Pits]);
  }
  const levels = new Map<DemandClass | "store", IntervalLevels>();
  for (const [key, pits] of byClass) {
    const least = key === "store" ? minStoreDays : MIN_INTERVAL_DAYS;
    if (pits.atOrBelow.length >= least) levels.set(key, levelsOf(pits));
  }
  return levels;
}

export function intervalLevelsFor(
  levels: ReadonlyMap<DemandClass | "store", IntervalLevels>,
  demandClass: DemandClass,
): IntervalLevels {
  return levels.get(demandClass) ?? levels.get("store") ?? NOMINAL_LEVELS;
}
