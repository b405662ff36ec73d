import type { DemandClass } from "./intermittent.js";
import type { IntervalSample } from "./interval-calibration.js";

/**
 * What a forecast's level is known to, over a period of several days (SPEC §4: Q_s and the
 * probability of no stock-out read the demand over a protection period).
 *
 * The daily negative binomial (quantiles.ts) treats days as independent: a period's variance is
 * Σ (m + φ m²), which grows with its length L. But a forecast that is 20% low on one day of a
 * period is low on the others too (the level, not the day, is wrong), and that part of the error
 * grows with L². The period's demand is therefore modelled as the daily model around a level
 * known up to a factor of mean `factor` and variance ψ: mean b Σm, variance
 * b Σm + φ b² Σm² + ψ b² (Σm)², with b the factor.
 *
 * The factor corrects the centre: the served forecast is scaled to what minimises the weekly
 * error (calibration.ts), a median, below the mean demand an order must cover; b = ΣA / ΣF. Both
 * are learned per store and demand class by the method of moments on the held-out window, which
 * neither chose nor scaled the forecasts, over its weeks (F and A a week's forecast and actual
 * totals). A class of few series takes its store's, a store of few series the defaults.
 *
 * A factor cannot lift a forecast of nothing: a series whose models see no demand after weeks
 * without a sale is forecast at 0, and its Q_s is 0, yet some of those series sell again (on
 * the M5 sets, without stock data, a shelf left empty looks like no demand). The floor is what
 * the weeks forecast under one unit sold beyond b F on the held-out window: a rate per day and
 * a dispersion (most such weeks sell nothing, a few sell several units), added to a period's
 * demand when its forecast is that small. Where such weeks sell nothing beyond their forecast,
 * no floor is learned and nothing changes.
 */
export interface PeriodLevel {
  /** b: the mean demand over the served forecast's. */
  factor: number;
  /** ψ: the variance of the level, shared by a period's days. */
  variance: number;
  /**
   * Demand where the forecast says almost none (under one unit a week): its rate per day and its
   * dispersion, learned on the weeks so forecast. Absent: none beyond the forecast.
   */
  floor?: { rate: number; phi: number };
}

export type PeriodLevels = ReadonlyMap<DemandClass | "store", PeriodLevel>;

/** A series' served held-out forecast against what sold: the band's levels learn from it too. */
export type LevelSample = IntervalSample;

/** Days per block whose totals are compared: a week, as orders cover weeks. */
export const LEVEL_BLOCK_DAYS = 7;
/** Under this many series a store takes the default level. */
export const MIN_LEVEL_SERIES = 30;
/** Under this many series a demand class takes its store's level. */
export const MIN_CLASS_LEVEL_SERIES = 100;
/**
 * Where a store alone has too few series (a small store of a chain takes its chain's): the served
 * centre, a level known within ±50% (one standard deviation). Chosen against 0.09 and 0.15 on the
 * tuning half of the 9 Walmart stores (28 series each), before they took their chain's
 * (docs/FORECASTING.md, "Quantiles").
 */
export const DEFAULT_PERIOD_LEVEL: PeriodLevel = { factor: 1, variance: 0.25 };
/** Days independent and the served centre: the distribution before level-uncertainty.ts. */
export const INDEPENDENT_DAYS: PeriodLevel = { factor: 1, variance: 0 };
/** Beyond these the forecast is broken, not uncertain: bounded as calibration.ts bounds. */
const FACTOR_BOUNDS = [2 / 3, 3 / 2] as const;
const MAX_VARIANCE = 1;
/** A forecast under this many units a day is "almost none": one a week. */
export const FLOOR_BELOW_PER_DAY = 1 / 7;
/** Blocks a floor is learned from, at least: under this, one sale more or less moves it. */
const MIN_FLOOR_BLOCKS = 100;
const MAX_FLOOR_PHI = 100;

/** Sums over weeks: Σ A², Σ A·F, Σ F², Σ A, Σ F, Σ φ f² (the days' own spread). */
class Moments {
  aa = 0;
  af = 0;
  ff = 0;
  a = 0;
  f = 0;
  spread = 0;
  /** The same sums divided by each block's F: Σ A²/F, Σ φf²/F, and the blocks. */
  aaByF = 0;
  spreadByF = 0;
  blocks = 0;
  series = 0;
  /** Blocks forecast at almost nothing (zero included): count, Σ A, Σ F, Σ A², Σ AF, Σ F². */
  low = { n: 0, a: 0, f: 0, aa: 0, af: 0, ff: 0 };

  addLow(f: number, a: number): void {
    const low = this.low;
    low.n++;
    low.a += a;
    low.f += f;
    low.aa += a * a;
    low.af += a * f;
    low.ff += f * f;
  }

  /** What the blocks forecast at almost nothing sold beyond b F: its daily rate and dispersion. */
  floor(b: number, blockDays: number): PeriodLevel["floor"] {
    const low = this.low;
    if (low.n < MIN_FLOOR_BLOCKS) return undefined;
    const mean = (low.a - b * low.f) / low.n;
    if (!(mean > 0)) return undefined;
    const square = (low.aa - 2 * b * low.af + b * b * low.ff) / low.n;
    const phi = (square - mean * mean - mean) / (mean * mean);
    return { rate: mean / blockDays, phi: clamp(phi, 0, MAX_FLOOR_PHI) };
  }

  add(f: number, a: number, spread: number): void {
    this.aaByF += (a * a) / f;
    this.spreadByF += spread / f;
    this.blocks++;
    this.aa += a * a;
    this.af += a * f;
    this.ff += f * f;
    this.a += a;
    this.f += f;
    this.spread += spread;
  }

  level(spec: PeriodLevelSpec): PeriodLevel {
    const b = spec.factor ? clamp(this.a / this.f, FACTOR_BOUNDS[0], FACTOR_BOUNDS[1]) : 1;
    const level = { factor: b, variance: this.variance(b, spec.byTotals ?? false) };
    const floor = spec.floor ? this.floor(b, spec.floorBlockDays ?? spec.blockDays) : undefined;
    return floor ? { ...level, floor } : level;
  }

  private variance(b: number, byTotals: boolean): number {
    if (byTotals) {
      // Each block weighted by 1/F: Σ ((A − bF)² − bF − b²φf²)/F over Σ b²F.
      const residual = this.aaByF - 2 * b * this.a + b * b * this.f;
      const excess = residual - b * this.blocks - b * b * this.spreadByF;
      return clamp(excess / (b * b * this.f), 0, MAX_VARIANCE);
    }
    // Σ (A − bF)² less the daily model's variance, b Σf + b² Σφf², over Σ (bF)².
    const residual = this.aa - 2 * b * this.af + b * b * this.ff;
    const excess = residual - b * this.f - b * b * this.spread;
    return clamp(excess / (b * b * this.ff), 0, MAX_VARIANCE);
  }
}

const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));

export interface PeriodLevelSpec {
  /** Series a store needs to learn its own; the default's below. */
  minSeries: number;
  /** Series a demand class needs to learn its own; its store's below. */
  minClassSeries: number;
  blockDays: number;
  /** Learn the factor b; false: b = 1, the served centre. */
  factor: boolean;
  /** ψ with each week weighted by 1/F (small series count more); false: weighted by F². */
  byTotals?: boolean;
  /** Learn a floor for forecasts of almost nothing (PeriodLevel.floor). */
  floor?: boolean;
  /** A class with a level of its own but too few weeks for a floor takes its store's. */
  floorFromStore?: boolean;
  /** The weeks a floor is learned from are left out of b and ψ (they are the floor's). */
  floorApart?: boolean;
  /** Days per block a floor is learned on; `blockDays` when absent. */
  floorBlockDays?: number;
  /** A store's level below `minSeries`; DEFAULT_PERIOD_LEVEL when absent. */
  fallback?: PeriodLevel;
  /**
   * In a chain, a store below `minSeries` takes the level learned on every store's series
   * together (forecast-store.ts, finishChain) before the fallback.
   */
  acrossStores?: boolean;
}

export function learnPeriodLevels(
  samples: Iterable<LevelSample>,
  spec: PeriodLevelSpec,
): PeriodLevels {
  const store = new Moments();
  const byClass = new Map<DemandClass | "store", Moments>([["store", store]]);
  for (const sample of samples) {
    let moments = byClass.get(sample.demandClass);
    if (!moments) {
      moments = new Moments();
      byClass.set(sample.demandClass, moments);
    }
    if (spec.floorBlockDays) addLowBlocks(sample, [moments, store], spec.floorBlockDays);
    if (addBlocks(sample, [moments, store], spec) === 0) continue;
    moments.series++;
    store.series++;
  }
  const learned = new Map<DemandClass | "store", PeriodLevel>();
  if (spec.fallback) learned.set("store", spec.fallback);
  for (const [key, m] of byClass) {
    const min = key === "store" ? spec.minSeries : spec.minClassSeries;
    if (m.series < min || !(m.f > 0)) continue;
    learned.set(key, m.level(spec));
  }
  const storeFloor = learned.get("store")?.floor;
  if (spec.floorFromStore && storeFloor)
    for (const [key, level] of learned)
      if (!level.floor) learned.set(key, { ...level, floor: storeFloor });
  return learned;
}

/** A sample's blocks of `days` known days forecast under one unit a week, into `into`'s floor. */
function addLowBlocks(sample: LevelSample, into: readonly Moments[], days: number): void {
  const n = Math.min(sample.forecast.length, sample.actual.length);
  for (let start = 0; start + days <= n; start += days) {
    let f = 0;
    let a = 0;
    for (let d = start; d < start + days; d++) {
      f += sample.forecast[d] as number;
      a += sample.actual[d] as number;
    }
    if (Number.isFinite(f) && Number.isFinite(a) && f < FLOOR_BELOW_PER_DAY * days)
      for (const moments of into) moments.addLow(f, a);
  }
}

/** A sample's blocks into each of `into`; returns how many blocks had a forecast. */
function addBlocks(sample: LevelSample, into: readonly Moments[], spec: PeriodLevelSpec): number {
  const { blockDays } = spec;
  const n = Math.min(sample.forecast.length, sample.actual.length);
  let blocks = 0;
  for (let start = 0; start + blockDays <= n; start += blockDays) {
    let f = 0;
    let a = 0;
    let spread = 0;
    let known = 0;
    for (let d = start; d < start + blockDays; d++) {
      const actual = sample.actual[d] as number;
      const m = sample.forecast[d] as number;
      // Unknown days leave both totals: the block is compared on its known days.
      if (!Number.isFinite(actual) || !Number.isFinite(m) || m < 0) continue;
      f += m;
      a += actual;
      spread += sample.phi * m * m;
      known++;
    }
    // A floor's rate is per day of whole blocks.
    const low = known === blockDays && f < FLOOR_BELOW_PER_DAY * blockDays;
    if (low && !spec.floorBlockDays) for (const moments of into) moments.addLow(f, a);
    if (!(f > 0) || (low && spec.floor && spec.floorApart)) continue;
    for (const moments of into) moments.add(f, a, spread);
    blocks++;
  }
  return blocks;
}

/**
 * The chain's levels for its stores too small for their own (`hasOwn` false), learned on every
 * store's samples together; null when the spec does not ask for them, the chain is one store, no
 * store needs them, or the chain is itself too small.
 */
export function chainPeriodLevels(
  samplesByStore: readonly (readonly LevelSample[])[],
  hasOwn: readonly boolean[],
  spec: PeriodLevelSpec | undefined,
): PeriodLevels | null {
  if (!spec?.acrossStores || samplesByStore.length < 2 || hasOwn.every(Boolean)) return null;
  const chain = learnPeriodLevels(samplesByStore.flat(), spec);
  return chain.has("store") ? chain : null;
}

/** A series' period level: its class's, else its store's, else the default. */
export function periodLevelFor(learned: PeriodLevels, demandClass: DemandClass): PeriodLevel {
  return learned.get(demandClass) ?? learned.get("store") ?? DEFAULT_PERIOD_LEVEL;
}
