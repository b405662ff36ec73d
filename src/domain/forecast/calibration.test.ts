import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import {
  applyCalibration,
  type CalibrationSample,
  calibrationFactor,
  learnCalibration,
  learnQuietFactor,
  MIN_CALIBRATION_SERIES,
  MIN_CALIBRATION_WEEKS,
  QUIET_FLOOR,
  WeightedValues,
} from "./calibration.js";
import { dispersionMoments, estimateOverdispersion } from "./quantiles.js";

/** Series whose forecasts fall short of their actual weekly totals by a known factor. */
function samples(
  demandClass: CalibrationSample["demandClass"],
  series: number,
  shortfall: number,
  seed: number,
): CalibrationSample[] {
  const rng = createRng(seed);
  return Array.from({ length: series }, () => {
    const weeks: number[] = [];
    for (let w = 0; w < 12; w++) {
      const truth = 5 + 20 * rng();
      weeks.push(truth / shortfall, poisson(rng, truth));
    }
    return { demandClass, backtestWeeks: Float64Array.from(weeks) };
  });
}

describe("calibration on backtest weeks", () => {
  it("learns the factor by which a class's forecasts fall short, per class", () => {
    const calibration = learnCalibration([
      ...samples("intermittent", 60, 1.25, 1),
      ...samples("smooth", 60, 1.0, 2),
    ]);
    expect(calibrationFactor(calibration, "intermittent")).toBeCloseTo(1.25, 1);
    expect(calibrationFactor(calibration, "smooth")).toBeCloseTo(1.0, 1);
  });

  it("uses the store's pooled factor for a class with too few weeks, and none without data", () => {
    const few = samples("lumpy", 1, 2, 3);
    expect(few[0]!.backtestWeeks.length / 2).toBeLessThan(MIN_CALIBRATION_WEEKS);
    const calibration = learnCalibration([...samples("smooth", 60, 1.1, 4), ...few]);
    expect(calibrationFactor(calibration, "lumpy")).toBe(calibration.get("store"));
    expect(calibrationFactor(learnCalibration(few), "lumpy")).toBe(1);
  });

  it("learns no factor from fewer series than MIN_CALIBRATION_SERIES, however many weeks", () => {
    // 20 series of 12 weeks: 240 weeks, six times MIN_CALIBRATION_WEEKS, from 20 series.
    const few = samples("intermittent", 20, 1.4, 7);
    expect(few.length * 12).toBeGreaterThan(MIN_CALIBRATION_WEEKS);
    expect(few.length).toBeLessThan(MIN_CALIBRATION_SERIES);
    const calibration = learnCalibration([...samples("smooth", 60, 1.1, 8), ...few]);
    expect(calibration.has("intermittent")).toBe(false);
    expect(calibrationFactor(calibration, "intermittent")).toBe(calibration.get("store"));
    // A store of fewer series than that gets no factor at all...
    expect(learnCalibration(few).size).toBe(0);
    // ...unless the spec lowers the bar (the bench's variant of the earlier rule).
    expect(calibrationFactor(learnCalibration(few, 0), "intermittent")).toBeCloseTo(1.4, 1);
  });

  it("refuses an implausible factor rather than applying it", () => {
    const calibration = learnCalibration(samples("erratic", 60, 4, 5));
    expect(calibrationFactor(calibration, "erratic")).toBe(1);
  });

  it("rescales the forecast and re-estimates its overdispersion around the new level", () => {
    const rng = createRng(6);
    const forecasts = Array.from({ length: 84 }, () => 1 + 3 * rng());
    const actuals = forecasts.map((f) => poisson(rng, 1.2 * f));
    const forecast = {
      mean: Float64Array.from([2, 4]),
      phi: estimateOverdispersion(forecasts, actuals),
      dispersion: dispersionMoments(forecasts, actuals),
    };
    applyCalibration(forecast, 1.2);
    expect([...forecast.mean]).toEqual([2.4, 4.8]);
    const rescaled = forecasts.map((f) => 1.2 * f);
    expect(forecast.phi).toBeCloseTo(estimateOverdispersion(rescaled, actuals), 12);
  });
});

describe("quiet series' factor", () => {
  /** Series whose quiet weeks sell `share` of what was forecast, or nothing (every other week). */
  const quiet = (series: number, share: number) =>
    Array.from({ length: series }, () => ({
      quietWeeks: Float64Array.from({ length: 16 }, (_, i) =>
        i % 2 === 0 ? 4 : i % 4 === 1 ? 4 * share : 0,
      ),
    }));

  it("is the weighted median of actual / forecast over the store's quiet weeks", () => {
    // Half the weight sells nothing, half sells 80%: the first value reaching half is 0.
    expect(learnQuietFactor(quiet(10, 0.8))).toBe(QUIET_FLOOR);
    const selling = Array.from({ length: 10 }, () => ({
      quietWeeks: Float64Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 4 : 2)),
    }));
    expect(learnQuietFactor(selling)).toBe(0.5);
  });

  it("never raises a forecast, never cancels it, and needs enough weeks", () => {
    const booming = Array.from({ length: 10 }, () => ({
      quietWeeks: Float64Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 4 : 12)),
    }));
    expect(learnQuietFactor(booming)).toBe(1);
    expect(learnQuietFactor(quiet(10, 0))).toBe(QUIET_FLOOR);
    expect(learnQuietFactor([...quiet(4, 0.5), null])).toBeNull();
    expect(learnQuietFactor([])).toBeNull();
  });
});

describe("the weighted median", () => {
  /** The definition, by sorting: the first value whose cumulated weight reaches half the total. */
  function bySorting(pairs: [number, number][]): number {
    const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
    const total = sorted.reduce((t, [, w]) => t + w, 0);
    let cumulative = 0;
    for (const [x, w] of sorted) {
      cumulative += w;
      if (cumulative >= total / 2) return x;
    }
    return 1;
  }

  it("is the value sorting finds, with ties, skewed weights and a single value", () => {
    const rng = createRng(21);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rng() * (trial < 20 ? 5 : 3000));
      const pairs: [number, number][] = Array.from({ length: n }, () => [
        // Few distinct values in some trials: many ties.
        trial % 3 === 0 ? Math.floor(rng() * 5) / 4 : rng() * 3,
        // Integer weights keep every partial sum exact, whatever the order they are added in.
        1 + Math.floor(rng() * (trial % 2 === 0 ? 3 : 1000)),
      ]);
      const values = new WeightedValues();
      for (const [x, w] of pairs) values.push(x, w);
      expect(values.weightedMedian(), `trial ${trial}`).toBe(bySorting(pairs));
    }
    expect(new WeightedValues().weightedMedian()).toBe(1);
  });
});
