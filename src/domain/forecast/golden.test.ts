import { describe, expect, it } from "vitest";
import { crostonRate, tsbRate } from "./intermittent.js";
import { demandCdf, demandQuantile, normalQuantile, totalDemandQuantile } from "./quantiles.js";

/**
 * Golden values, computed by hand (the working is in the comments), so that a change to a model's
 * arithmetic fails here before it reaches a forecast.
 */
describe("intermittent models: hand-computed values", () => {
  // Demands 3, 5, 2 at positions 2, 5, 7 (1-based), α = 0.1.
  const values = [0, 3, 0, 0, 5, 0, 2];

  it("Croston: size and interval smoothed at each demand", () => {
    // First demand: size 3, interval 2 (it came on the 2nd period).
    // Second: size 3 + 0.1·(5 − 3) = 3.2, interval 2 + 0.1·(3 − 2) = 2.1.
    // Third: size 3.2 + 0.1·(2 − 3.2) = 3.08, interval 2.1 + 0.1·(2 − 2.1) = 2.09.
    expect(crostonRate(values)).toBeCloseTo(3.08 / 2.09, 12);
  });

  it("SBA: Croston's rate times (1 − α/2)", () => {
    expect(crostonRate(values, 0.1, "sba")).toBeCloseTo((3.08 / 2.09) * 0.95, 12);
    expect(crostonRate(values, 0.1, "sba")).toBeCloseTo(1.4, 12);
  });

  it("TSB: demand probability updated every period, size at each demand", () => {
    // p starts at demands / periods = 3/7 on the first demand (size 3), then each period
    // p += 0.05·(occurred − p): 0.4071429, 0.3867857, 0.4174464 (size 3.2), 0.3965741,
    // 0.4267454 (size 3.08). Rate = 3.08 × 0.4267454.
    let p = 3 / 7;
    for (const occurred of [0, 0, 1, 0, 1]) p += 0.05 * (occurred - p);
    expect(p).toBeCloseTo(0.4267454, 6);
    expect(tsbRate(values)).toBeCloseTo(3.08 * p, 12);
    // The count of demands, when the caller has it, is the one the rate counts: 3.
    expect(tsbRate(values, 3)).toBe(tsbRate(values));
  });

  it("no demand at all: a rate of zero", () => {
    expect(crostonRate([0, 0, 0])).toBe(0);
    expect(tsbRate([0, 0, 0])).toBe(0);
  });
});

describe("negative-binomial quantiles: exact values", () => {
  it("mean 4, φ 0.5 (size 2, p = 1/3): the cumulative sums give 0, 3, 9, 11", () => {
    // P(X = k) = C(k + 1, k) (1/3)² (2/3)^k: 0.1111, 0.1481, 0.1481, 0.1317, 0.1097, 0.0878,
    // 0.0683, 0.0520, 0.0390, 0.0289, 0.0212, 0.0154 → cumulative 0.1111 (k = 0), 0.4074 (2),
    // 0.5391 (3), 0.8959 (8), 0.9249 (9), 0.9461 (10), 0.9615 (11).
    expect(demandQuantile(4, 0.5, 0.1)).toBe(0);
    expect(demandQuantile(4, 0.5, 0.5)).toBe(3);
    expect(demandQuantile(4, 0.5, 0.9)).toBe(9);
    expect(demandQuantile(4, 0.5, 0.95)).toBe(11);
  });

  it("Poisson (φ = 0), mean 4: 2, 4, 7", () => {
    // Cumulative: 0.0183, 0.0916, 0.2381 (2), 0.4335, 0.6288 (4), 0.7851, 0.8893, 0.9489 (7).
    expect([0.1, 0.5, 0.9].map((p) => demandQuantile(4, 0, p))).toEqual([2, 4, 7]);
  });

  it("above a mean of 150, a gamma stands in: its upper quantiles within 2% of the exact ones", () => {
    for (const mean of [151, 500, 2000])
      for (const phi of [0, 0.02, 0.1, 0.3, 1])
        for (const p of [0.1, 0.5, 0.9, 0.95, 0.98]) {
          const exact = exactQuantile(mean, phi, p);
          const approx = demandQuantile(mean, phi, p);
          // The lower tail of a very dispersed demand (φ 1, mean 2000: 197 for 210) is looser.
          const tolerance = p < 0.5 ? 0.07 : 0.02;
          expect(Math.abs(approx - exact)).toBeLessThanOrEqual(tolerance * exact + 3);
          // Its CDF is its quantile's inverse, to the unit.
          expect(demandCdf(mean, phi, Math.ceil(approx))).toBeGreaterThanOrEqual(p - 0.005);
          expect(demandCdf(mean, phi, Math.floor(approx) - 2)).toBeLessThan(p);
        }
    // What a normal with the same moments gave: a 28-day demand of mean 500 whose level is known
    // to ±32% (φ 0.1) has its exact 98% quantile at 879 units; the normal said 828 (−5.8%).
    expect(exactQuantile(500, 0.1, 0.98)).toBe(879);
    expect(Math.round(500 + normalQuantile(0.98) * Math.sqrt(500 + 0.1 * 500 * 500))).toBe(828);
    expect(Math.round(demandQuantile(500, 0.1, 0.98))).toBe(880);
  });

  it("a sum of days: mean and variances add, moment-matched to one negative binomial", () => {
    // Two days of mean 2, φ 0.5: total mean 4, variance 2·(2 + 0.5·4) = 8 = 4 + φ'·16 → φ' = 0.25.
    expect(totalDemandQuantile([2, 2], 0.5, 0.9)).toBe(demandQuantile(4, 0.25, 0.9));
  });
});

/** The negative binomial's quantile by its cumulative sum, in logs (e^−mean underflows). */
function exactQuantile(mean: number, phi: number, p: number): number {
  const size = 1 / phi;
  const q = mean / (size + mean);
  let logPmf = phi < 1e-6 ? -mean : size * Math.log(1 - q);
  let cdf = Math.exp(logPmf);
  let x = 0;
  while (cdf < p) {
    logPmf += phi < 1e-6 ? Math.log(mean / (x + 1)) : Math.log(((x + size) / (x + 1)) * q);
    x++;
    cdf += Math.exp(logPmf);
  }
  return x;
}
