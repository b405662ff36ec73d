import { describe, expect, it } from "vitest";
import { createRng, gamma, poisson, type Rng } from "../../demo/random.js";
import {
  type IntervalLevels,
  type IntervalSample,
  intervalLevelsFor,
  learnIntervalLevels,
  MIN_STORE_INTERVAL_DAYS,
  NOMINAL_LEVELS,
} from "./interval-calibration.js";
import { demandCdf, demandQuantile } from "./quantiles.js";

/** Days of a negative binomial (gamma–Poisson) around `mean`, forecast as `forecast`. */
function sample(
  rng: Rng,
  days: number,
  mean: number,
  phi: number,
  forecast = mean,
  forecastPhi = phi,
): IntervalSample {
  const actual = Array.from({ length: days }, () =>
    poisson(rng, phi > 0 ? mean * phi * gamma(rng, 1 / phi) : mean),
  );
  return {
    demandClass: "smooth",
    forecast: new Float64Array(days).fill(forecast),
    phi: forecastPhi,
    actual,
  };
}

function coverage(samples: readonly IntervalSample[], levels: IntervalLevels): number {
  let inside = 0;
  let days = 0;
  for (const s of samples)
    for (let d = 0; d < s.actual.length; d++) {
      const m = s.forecast[d] as number;
      const a = s.actual[d] as number;
      days++;
      if (a >= demandQuantile(m, s.phi, levels.low) && a <= demandQuantile(m, s.phi, levels.high))
        inside++;
    }
  return inside / days;
}

function storeOf(rng: Rng, mean: number, phi: number, forecastPhi = phi): IntervalSample[] {
  return Array.from({ length: 60 }, () => sample(rng, 28, mean, phi, mean, forecastPhi));
}

describe("calibrated daily bands", () => {
  it("hold 8 days in 10 on days they never saw, where P10–P90 of small counts hold far more", () => {
    const learned = learnIntervalLevels(storeOf(createRng(1), 0.8, 0.3));
    const levels = intervalLevelsFor(learned, "smooth");
    const fresh = storeOf(createRng(2), 0.8, 0.3);
    expect(coverage(fresh, NOMINAL_LEVELS)).toBeGreaterThan(0.9);
    expect(Math.abs(coverage(fresh, levels) - 0.8)).toBeLessThan(0.05);
  });

  it("widen a band whose dispersion was underestimated", () => {
    // Demand as dispersed as φ = 1, forecast as if Poisson: nominal bands are too narrow.
    const learned = learnIntervalLevels(storeOf(createRng(3), 12, 1, 0));
    const levels = intervalLevelsFor(learned, "smooth");
    const fresh = storeOf(createRng(4), 12, 1, 0);
    expect(coverage(fresh, NOMINAL_LEVELS)).toBeLessThan(0.6);
    expect(levels.low).toBeLessThan(0.1);
    expect(levels.high).toBeGreaterThan(0.9);
    expect(coverage(fresh, levels)).toBeGreaterThan(coverage(fresh, NOMINAL_LEVELS) + 0.1);
  });

  it("leave a well-specified continuous-like band near P10–P90", () => {
    const learned = learnIntervalLevels(storeOf(createRng(5), 200, 0.05));
    const levels = intervalLevelsFor(learned, "smooth");
    expect(Math.abs(levels.low - 0.1)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(levels.high - 0.9)).toBeLessThanOrEqual(0.03);
  });

  it("keep the nominal levels with too few days, and skip days not to score", () => {
    const few = sample(createRng(6), MIN_STORE_INTERVAL_DAYS - 1, 2, 0.2);
    expect(intervalLevelsFor(learnIntervalLevels([few]), "smooth")).toEqual(NOMINAL_LEVELS);
    const unknown = {
      ...sample(createRng(7), 400, 2, 0.2),
      actual: new Array(400).fill(Number.NaN),
    };
    expect(intervalLevelsFor(learnIntervalLevels([unknown]), "smooth")).toEqual(NOMINAL_LEVELS);
  });

  it("learn a one-series store's levels from its 28 held-out days", () => {
    // Large counts forecast with φ four times too large: the nominal band holds nearly every day.
    const rng = createRng(9);
    const one = sample(rng, 28, 400, 0.02, 400, 0.08);
    const learned = learnIntervalLevels([one]);
    expect(learned.has("smooth")).toBe(false);
    const levels = intervalLevelsFor(learned, "smooth");
    expect(levels.low).toBeGreaterThan(NOMINAL_LEVELS.low);
    expect(levels.high).toBeLessThan(NOMINAL_LEVELS.high);
    const next = Array.from({ length: 12 }, () => sample(rng, 28, 400, 0.02, 400, 0.08));
    expect(coverage(next, NOMINAL_LEVELS)).toBeGreaterThan(0.95);
    expect(Math.abs(coverage(next, levels) - 0.8)).toBeLessThan(0.1);
    // Without enough of its own days a store keeps the nominal band.
    expect(intervalLevelsFor(learnIntervalLevels([one], 300), "smooth")).toEqual(NOMINAL_LEVELS);
  });

  it("fall back from a class with few days to the store's levels", () => {
    const rng = createRng(8);
    const lumpy = { ...sample(rng, 28, 0.2, 2), demandClass: "lumpy" as const };
    const learned = learnIntervalLevels([...storeOf(rng, 0.8, 0.3), lumpy]);
    expect(learned.has("lumpy")).toBe(false);
    expect(intervalLevelsFor(learned, "lumpy")).toEqual(learned.get("store"));
  });

  it("are the levels a plain count of the days below each level finds", () => {
    // The definition, day by day: the share of days whose actual lies below the quantile at
    // each level (P(X ≤ a) < l), then above the one at each high level (P(X ≤ a − 1) ≥ h).
    const plain = (samples: readonly IntervalSample[]): IntervalLevels => {
      const atOrBelow: number[] = [];
      const below: number[] = [];
      for (const s of samples)
        Array.from(s.actual).forEach((a, d) => {
          atOrBelow.push(demandCdf(s.forecast[d] as number, s.phi, Math.round(a)));
          below.push(demandCdf(s.forecast[d] as number, s.phi, Math.round(a) - 1));
        });
      const grid = (from: number, to: number) =>
        Array.from(
          { length: Math.round((to - from) * 100) + 1 },
          (_, k) => (Math.round(from * 100) + k) / 100,
        );
      const closest = (levels: number[], target: number, share: (l: number) => number) =>
        levels.reduce((best, l) =>
          Math.abs(share(l) - target) < Math.abs(share(best) - target) - 1e-12 ? l : best,
        );
      const n = atOrBelow.length;
      const low = closest(grid(0.02, 0.3), 0.1, (l) => atOrBelow.filter((v) => v < l).length / n);
      const missed = atOrBelow.filter((v) => v < low).length / n;
      const high = closest(
        grid(0.7, 0.98),
        0.2 - missed,
        (h) => below.filter((v) => v >= h).length / n,
      );
      return { low, high };
    };
    const rng = createRng(11);
    const found = new Set<string>();
    for (const [mean, phi, forecastPhi] of [
      [0.3, 0.5, 0.1],
      [0.8, 0.3, 0.3],
      [4, 1, 0.2],
      [12, 0.05, 1],
      [40, 0.5, 0.5],
    ] as const) {
      const samples = storeOf(rng, mean, phi, forecastPhi);
      const levels = intervalLevelsFor(learnIntervalLevels(samples), "smooth");
      expect(levels, `mean ${mean}`).toEqual(plain(samples));
      found.add(JSON.stringify(levels));
    }
    // Stores far apart: not one level pair for all of them.
    expect(found.size).toBeGreaterThan(2);
  });
});
