import type { PeriodLevel } from "../forecast/level-uncertainty.js";
import { DemandCdf, periodDemand } from "../forecast/quantiles.js";

/**
 * SPEC §4 "quantities that know their risk": from the forecast's own distribution (negative
 * binomial per day, overdispersion φ), the probability of not running out before the delivery
 * after the target date, for any quantity; and the service-level quantity Q_s.
 *
 * The protection period runs from today to the target date D; the supplier's observed lateness
 * widens it: with the delays seen on past orders (days beyond the planned lead time, as an
 * empirical distribution), the probability is the average, over those delays, of the
 * probability that demand over t … D + delay stays within the stock. Sums of days keep their
 * mean and add their variances, plus the variance of the level they share, ψ (Σ m)², around
 * the level's factor (level-uncertainty.ts); one NB is moment-matched to them.
 */
export interface ProtectionInput {
  /** Daily forecast means from today (index 0 = t). */
  forecast: ArrayLike<number>;
  phi: number;
  /** Days from today to D, inclusive of D. */
  targetOffset: number;
  /**
   * Days of delay beyond the planned lead time seen on past deliveries (≥ 0 each), equally
   * likely; empty or absent: deliveries are on time.
   */
  delays?: readonly number[];
  /**
   * What the forecast's level is known to over the period (level-uncertainty.ts): its factor b
   * and variance ψ. Absent: days independent around the forecast.
   */
  level?: PeriodLevel;
}

/**
 * The risk of one protection period, for any stock and quantity: the demand over t … D + delay
 * for each distinct delay, with its probability, and each one's CDF kept as it is computed, so
 * that the search for Q_s and the probabilities of a suggestion sum each term once.
 */
export class ProtectionRisk {
  private readonly periods: { delay: number; cdf: DemandCdf; weight: number }[] = [];
  /** Whether a period's demand holds the level's floor (a forecast of almost nothing). */
  readonly floorAdded: boolean = false;

  constructor(private readonly input: ProtectionInput) {
    const delays = input.delays && input.delays.length > 0 ? input.delays : [0];
    const counts = new Map<number, number>();
    for (const d of delays) {
      const days = Math.max(0, Math.round(d));
      counts.set(days, (counts.get(days) ?? 0) + 1);
    }
    for (const [delay, count] of counts) {
      const { cdf, floor } = periodCdf(input, delay);
      this.periods.push({ delay, cdf, weight: count / delays.length });
      if (floor > 0) this.floorAdded = true;
    }
  }

  /**
   * P(no stock-out before the delivery after D) for `stock + quantity` available: the chance
   * that demand over the protection period does not exceed it.
   */
  probability(stock: number, quantity: number): number {
    const available = Math.floor(stock + quantity + 1e-9);
    if (available < 0) return 0;
    let p = 0;
    for (const period of this.periods) p += period.weight * period.cdf.at(available);
    return Math.min(1, Math.max(0, p));
  }

  /**
   * The smallest whole quantity of units to cover the protection period at service level `s`
   * (before pack and minimum rounding): q_s(demand over the period) − stock, at least 0.
   */
  serviceUnits(stock: number, s: number): number {
    const base = Math.ceil(Math.max(0, -stock));
    return smallestReaching((units) => this.probability(stock, units), base, s);
  }

  /**
   * q_s of the demand over t … D alone, deliveries on time: what a suggestion promises whatever
   * the supplier does, checked once the period is over (service-promise.ts). The on-time
   * period's CDF is the one already summed when the observed delays include 0.
   */
  onTimeQuantile(s: number): number {
    const cdf = this.periods.find((p) => p.delay === 0)?.cdf ?? periodCdf(this.input, 0).cdf;
    return smallestReaching((units) => cdf.at(units), 0, s);
  }
}

/** The demand over t … D + `delay` (within the horizon) as one CDF, and the floor it holds. */
function periodCdf(input: ProtectionInput, delay: number) {
  const last = Math.min(input.forecast.length - 1, input.targetOffset + delay);
  const { mean, phi, floor } = periodDemand(input.forecast, last + 1, input.phi, input.level);
  return { cdf: new DemandCdf(mean, phi), floor };
}

/**
 * The smallest whole number of units from `base` whose `probability` reaches `s`: doubling,
 * then bisection on a non-decreasing probability.
 */
function smallestReaching(probability: (units: number) => number, base: number, s: number) {
  if (!(s > 0 && s < 1)) throw new RangeError(`service level must be in (0, 1), got ${s}`);
  if (probability(base) >= s) return base;
  let low = base;
  let high = Math.max(1, base * 2);
  while (probability(high) < s) {
    low = high;
    high *= 2;
    if (high > 1e9) return high;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (probability(mid) >= s) high = mid;
    else low = mid;
  }
  return high;
}

/** ProtectionRisk's probability, for one stock and quantity. */
export function probabilityNoStockOut(
  input: ProtectionInput,
  stock: number,
  quantity: number,
): number {
  return new ProtectionRisk(input).probability(stock, quantity);
}

/** ProtectionRisk's Q_s, for one stock and level. */
export function serviceLevelUnits(input: ProtectionInput, stock: number, s: number): number {
  return new ProtectionRisk(input).serviceUnits(stock, s);
}
