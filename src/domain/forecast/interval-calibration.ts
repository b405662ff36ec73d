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

/** The levels of a range, as the search tries them: every hundredth from its start to its end. */
function gridOf(range: readonly [number, number]): Float64Array {
  const levels: number[] = [];
  for (let k = 0; range[0] + k * STEP <= range[1] + 1e-9; k++)
    levels.push(Math.round((range[0] + k * STEP) * 100) / 100);
  return Float64Array.from(levels);
}

const LOW_LEVELS = gridOf(LOW_RANGE);
const HIGH_LEVELS = gridOf(HIGH_RANGE);

/**
 * Held-out days counted against each level searched. A day whose actual is a places it by two CDF
 * values: a lies below the quantile at level l iff P(X ≤ a) < l, above the one at level h iff
 * P(X ≤ a − 1) ≥ h. Each value is counted in the bucket of the first level it lies below, so
 * that the share of days below any level is a running sum, without keeping or sorting the days
 * (hundreds of thousands on a large store).
 */
interface Pits {
  days: number;
  /** Days per bucket of LOW_LEVELS by P(X ≤ a) (the last bucket: below no level). */
  lowBuckets: Int32Array;
  /** Days per bucket of HIGH_LEVELS by P(X ≤ a − 1). */
  highBuckets: Int32Array;
}

function emptyPits(): Pits {
  return {
    days: 0,
    lowBuckets: new Int32Array(LOW_LEVELS.length + 1),
    highBuckets: new Int32Array(HIGH_LEVELS.length + 1),
  };
}

/** The index of the first of the ascending `levels` that `value` lies below (length if none). */
function bucketOf(levels: Float64Array, value: number): number {
  // NaN is below no level, as a search in the sorted values found it.
  if (Number.isNaN(value)) return levels.length;
  const first = levels[0] as number;
  let k = Math.min(levels.length, Math.max(0, Math.floor((value - first) / STEP) + 1));
  // The guess may be one off either way where value sits on a level: settle it exactly.
  while (k > 0 && value < (levels[k - 1] as number)) k--;
  while (k < levels.length && value >= (levels[k] as number)) k++;
  return k;
}

/** The sample's days into each of `into` (its class's and the store's): each CDF computed once. */
function addPits(sample: IntervalSample, into: readonly Pits[]): void {
  const n = Math.min(sample.forecast.length, sample.actual.length);
  for (let d = 0; d < n; d++) {
    const a = sample.actual[d] as number;
    const m = sample.forecast[d] as number;
    if (!Number.isFinite(a) || !Number.isFinite(m) || a < 0) continue;
    const whole = Math.round(a);
    const low = bucketOf(LOW_LEVELS, demandCdf(m, sample.phi, whole));
    const high = bucketOf(HIGH_LEVELS, demandCdf(m, sample.phi, whole - 1));
    for (const pits of into) {
      pits.days++;
      pits.lowBuckets[low] = (pits.lowBuckets[low] as number) + 1;
      pits.highBuckets[high] = (pits.highBuckets[high] as number) + 1;
    }
  }
}

/** How many counted values lie below each level: running sums of the buckets. */
function belowEach(buckets: Int32Array): Int32Array {
  const below = new Int32Array(buckets.length - 1);
  let sum = 0;
  for (let k = 0; k < below.length; k++) {
    sum += buckets[k] as number;
    below[k] = sum;
  }
  return below;
}

/** The index of the level whose share of missed days is closest to `target` (the first on ties). */
function bestLevel(
  levels: Float64Array,
  target: number,
  missedShare: (k: number) => number,
): number {
  let best = 0;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let k = 0; k < levels.length; k++) {
    const gap = Math.abs(missedShare(k) - target);
    if (gap < bestGap - 1e-12) {
      bestGap = gap;
      best = k;
    }
  }
  return best;
}

function levelsOf(pits: Pits): IntervalLevels {
  const n = pits.days;
  // Days below each low level's quantile, and days not above each high level's.
  const underLow = belowEach(pits.lowBuckets);
  const underHigh = belowEach(pits.highBuckets);
  const low = bestLevel(LOW_LEVELS, TAIL, (k) => (underLow[k] as number) / n);
  // Small counts often cannot fall below any low quantile (it is 0): the upper tail then takes
  // the whole 20%, so that the band still holds 8 days in 10 rather than 9.
  const lowMisses = (underLow[low] as number) / n;
  const high = bestLevel(
    HIGH_LEVELS,
    2 * TAIL - lowMisses,
    (k) => (n - (underHigh[k] as number)) / n,
  );
  return { low: LOW_LEVELS[low] as number, high: HIGH_LEVELS[high] as number };
}

/** Levels per demand class ("store": every class pooled); a class absent uses the store's. */
export function learnIntervalLevels(
  samples: Iterable<IntervalSample>,
  minStoreDays = MIN_STORE_INTERVAL_DAYS,
): Map<DemandClass | "store", IntervalLevels> {
  const byClass = new Map<DemandClass | "store", Pits>([["store", emptyPits()]]);
  for (const sample of samples) {
    let pits = byClass.get(sample.demandClass);
    if (!pits) {
      pits = emptyPits();
      byClass.set(sample.demandClass, pits);
    }
    addPits(sample, [pits, byClass.get("store") as Pits]);
  }
  const levels = new Map<DemandClass | "store", IntervalLevels>();
  for (const [key, pits] of byClass) {
    const least = key === "store" ? minStoreDays : MIN_INTERVAL_DAYS;
    if (pits.days >= least) levels.set(key, levelsOf(pits));
  }
  return levels;
}

export function intervalLevelsFor(
  levels: ReadonlyMap<DemandClass | "store", IntervalLevels>,
  demandClass: DemandClass,
): IntervalLevels {
  return levels.get(demandClass) ?? levels.get("store") ?? NOMINAL_LEVELS;
}
