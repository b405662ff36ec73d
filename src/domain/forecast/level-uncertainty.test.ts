import { describe, expect, it } from "vitest";
import { createRng, gamma, poisson, type Rng } from "../../demo/random.js";
import type { DemandClass } from "./intermittent.js";
import {
  DEFAULT_PERIOD_LEVEL,
  INDEPENDENT_DAYS,
  type LevelSample,
  learnPeriodLevels,
  type PeriodLevelSpec,
  periodLevelFor,
} from "./level-uncertainty.js";
import { periodDemand, totalDemandQuantile } from "./quantiles.js";

const SPEC: PeriodLevelSpec = {
  minSeries: 30,
  minClassSeries: 100,
  blockDays: 7,
  factor: true,
  byTotals: true,
};

/** A gamma draw of mean 1 and variance `variance` (1 when 0). */
const levelDraw = (rng: Rng, variance: number) =>
  variance > 0 ? variance * gamma(rng, 1 / variance) : 1;

/**
 * A series forecast at `forecast` a day for 28 days, whose true level is `bias` × a draw of
 * variance `levelVariance` shared by its days, and whose days are negative binomial (φ) around it.
 */
function series(
  rng: Rng,
  forecast: number,
  { bias = 1, levelVariance = 0, phi = 0.2, demandClass = "smooth" as DemandClass } = {},
): LevelSample {
  const level = bias * levelDraw(rng, levelVariance);
  const actual = Array.from({ length: 28 }, () =>
    poisson(rng, forecast * level * (phi > 0 ? phi * gamma(rng, 1 / phi) : 1)),
  );
  return { demandClass, forecast: new Float64Array(28).fill(forecast), phi, actual };
}

function store(seed: number, n: number, options: Parameters<typeof series>[2] = {}) {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => series(rng, [1, 3, 8][i % 3] as number, options));
}

describe("period levels (level-uncertainty.ts)", () => {
  it("find the variance of a level the days share, and none where days are independent", () => {
    const shared = periodLevelFor(
      learnPeriodLevels(store(1, 600, { levelVariance: 0.16 }), SPEC),
      "smooth",
    );
    expect(shared.variance).toBeGreaterThan(0.1);
    expect(shared.variance).toBeLessThan(0.22);
    expect(shared.factor).toBeGreaterThan(0.95);
    expect(shared.factor).toBeLessThan(1.05);
    const independent = periodLevelFor(learnPeriodLevels(store(2, 600), SPEC), "smooth");
    expect(independent.variance).toBeLessThan(0.02);
  });

  it("find the factor of a forecast that falls short of demand, within bounds", () => {
    const short = periodLevelFor(learnPeriodLevels(store(3, 300, { bias: 1.2 }), SPEC), "smooth");
    expect(short.factor).toBeGreaterThan(1.15);
    expect(short.factor).toBeLessThan(1.25);
    const broken = periodLevelFor(learnPeriodLevels(store(4, 300, { bias: 3 }), SPEC), "smooth");
    expect(broken.factor).toBe(1.5);
    const served = learnPeriodLevels(store(3, 300, { bias: 1.2 }), { ...SPEC, factor: false });
    expect(periodLevelFor(served, "smooth").factor).toBe(1);
  });

  it("fall back from a class of few series to the store, and from a small store to the default", () => {
    const rng = createRng(5);
    const samples = [
      ...Array.from({ length: 150 }, () => series(rng, 3, { levelVariance: 0.3 })),
      ...Array.from({ length: 40 }, () => series(rng, 3, { demandClass: "lumpy" })),
    ];
    const learned = learnPeriodLevels(samples, SPEC);
    expect(learned.has("lumpy")).toBe(false);
    expect(periodLevelFor(learned, "lumpy")).toEqual(learned.get("store"));
    expect(periodLevelFor(learned, "smooth")).toEqual(learned.get("smooth"));
    const small = learnPeriodLevels(samples.slice(0, 29), SPEC);
    expect(small.size).toBe(0);
    expect(periodLevelFor(small, "smooth")).toBe(DEFAULT_PERIOD_LEVEL);
    const fallback = { factor: 1, variance: 0.05 };
    expect(
      periodLevelFor(learnPeriodLevels(samples.slice(0, 29), { ...SPEC, fallback }), "erratic"),
    ).toBe(fallback);
  });

  it("compare a week on its known days only", () => {
    const rng = createRng(6);
    const samples = Array.from({ length: 60 }, () => series(rng, 4, { levelVariance: 0.2 }));
    const withGaps = samples.map((s) => ({
      ...s,
      // A stock-out day's actual is unknown: were it read as 0, the level would look lower.
      actual: Array.from(s.actual, (a, d) => (d % 7 === 3 ? Number.NaN : a)),
    }));
    const full = periodLevelFor(learnPeriodLevels(samples, SPEC), "smooth");
    const gaps = periodLevelFor(learnPeriodLevels(withGaps, SPEC), "smooth");
    expect(Math.abs(gaps.factor - full.factor)).toBeLessThan(0.05);
  });

  it("keep a period's service level that independent days break", () => {
    // Per series, the quantile at 95% of its 28 days' demand, against what it then sold.
    const training = store(7, 600, { levelVariance: 0.1 });
    const level = periodLevelFor(learnPeriodLevels(training, SPEC), "smooth");
    const kept = (l: typeof level) => {
      const rng = createRng(8);
      let met = 0;
      for (let i = 0; i < 2000; i++) {
        const s = series(rng, [1, 3, 8][i % 3] as number, { levelVariance: 0.1 });
        const sold = Array.from(s.actual).reduce((n, a) => n + a, 0);
        if (sold <= totalDemandQuantile(s.forecast, s.phi, 0.95, l)) met++;
      }
      return met / 2000;
    };
    expect(kept(level)).toBeGreaterThan(0.93);
    expect(kept(level)).toBeLessThan(0.97);
    expect(kept(INDEPENDENT_DAYS)).toBeLessThan(0.88);
  });

  it("add the shared level's variance to a period's, around its factor", () => {
    // Days of 2 scaled by 1.5: mean 6, variance 2 × (3 + 0.5 × 9) + 0.1 × 36 = 18.6.
    const d = periodDemand([2, 2, 2], 2, 0.5, { factor: 1.5, variance: 0.1 });
    expect(d.mean).toBeCloseTo(6, 12);
    expect(d.phi).toBeCloseTo((18.6 - 6) / 36, 12);
    expect(periodDemand([2, 2], 2, 0.5)).toEqual({
      mean: 4,
      phi: (4 + 0.5 * 8 - 4) / 16,
      floor: 0,
    });
    expect(periodDemand([0, 0], 2, 0.5, { factor: 1.2, variance: 0.3 })).toEqual({
      mean: 0,
      phi: 0,
      floor: 0,
    });
  });

  it("learn a floor where forecasts of nothing sell again, and none where they do not", () => {
    const withFloor = { ...SPEC, floor: true };
    const resuming = [...store(9, 300), ...dormant(10, 600, 0.2)];
    const floor = periodLevelFor(learnPeriodLevels(resuming, withFloor), "lumpy").floor;
    // One series in five sells again, at 0.5 a day on average: 0.1 a day, most weeks at 0.
    expect(floor?.rate).toBeGreaterThan(0.07);
    expect(floor?.rate).toBeLessThan(0.14);
    expect(floor?.phi).toBeGreaterThan(5);
    expect(periodLevelFor(learnPeriodLevels(resuming, SPEC), "lumpy").floor).toBeUndefined();
    const staying = [...store(9, 300), ...dormant(10, 300, 0)];
    expect(periodLevelFor(learnPeriodLevels(staying, withFloor), "lumpy").floor).toBeUndefined();
  });

  it("keep a forecast of nothing's service level where such series sell again", () => {
    const training = [...store(11, 300), ...dormant(12, 300, 0.2)];
    const level = periodLevelFor(learnPeriodLevels(training, { ...SPEC, floor: true }), "lumpy");
    const kept = (l: typeof level) => {
      let met = 0;
      for (const s of dormant(13, 2000, 0.2)) {
        const sold = Array.from(s.actual).reduce((n, a) => n + a, 0);
        if (sold <= totalDemandQuantile(s.forecast, s.phi, 0.95, l)) met++;
      }
      return met / 2000;
    };
    // Without the floor the quantile is 0: kept only by the series that stay quiet (80%).
    expect(kept({ ...level, floor: undefined })).toBeLessThan(0.85);
    // With it, within 5 points: one negative binomial is not this mixture of nothing and sales.
    expect(kept(level)).toBeGreaterThan(0.9);
    expect(kept(level)).toBeLessThan(0.95);
  });

  it("learn the floor's bench variants as they say (bench/pipeline-variants.ts)", () => {
    const withFloor = { ...SPEC, floor: true };
    // 300 smooth series give the smooth class a level of its own, but no week under one unit.
    const samples = [...store(14, 300), ...dormant(15, 600, 0.2)];
    const levelOf = (spec: PeriodLevelSpec, c: DemandClass) =>
      periodLevelFor(learnPeriodLevels(samples, spec), c);
    const storeFloor = learnPeriodLevels(samples, withFloor).get("store")?.floor;
    expect(storeFloor).toBeDefined();
    expect(levelOf(withFloor, "smooth").floor).toBeUndefined();
    expect(levelOf({ ...withFloor, floorFromStore: true }, "smooth").floor).toEqual(storeFloor);
    // Weeks forecast above zero but under one unit feed ψ unless set apart for the floor.
    const near = samples.map((x) => ({
      ...x,
      forecast: Float64Array.from(x.forecast, (f) => f || 0.01),
    }));
    const variance = (spec: PeriodLevelSpec) =>
      learnPeriodLevels(near, spec).get("store")?.variance as number;
    expect(variance({ ...withFloor, floorApart: true })).toBeLessThan(variance(withFloor));
    // On 28-day totals, each dormant series gives one block: 600, enough for a floor.
    const monthly = levelOf({ ...withFloor, floorBlockDays: 28 }, "lumpy").floor;
    expect(monthly?.rate).toBeGreaterThan(0.07);
    expect(monthly?.rate).toBeLessThan(0.14);
  });

  it("add the floor to a period forecast under one unit a week, and only there", () => {
    const level = { factor: 1, variance: 0.2, floor: { rate: 0.1, phi: 4 } };
    // 28 days at 0: the floor alone, mean 2.8, variance 2.8 + 4 × 2.8².
    const d = periodDemand(new Float64Array(28), 28, 0.5, level);
    expect(d.mean).toBeCloseTo(2.8, 12);
    expect(d.phi).toBeCloseTo(4, 12);
    expect(d.floor).toBeCloseTo(2.8, 12);
    expect(totalDemandQuantile(new Float64Array(28), 0.5, 0.9, level)).toBeGreaterThan(0);
    const busy = new Float64Array(28).fill(1);
    expect(periodDemand(busy, 28, 0.5, level)).toEqual(
      periodDemand(busy, 28, 0.5, { factor: 1, variance: 0.2 }),
    );
  });
});

/**
 * Series forecast at 0 for 28 days (models that saw no demand), a share `resume` of which sell
 * again, each at its own rate (exponential, mean `rate` a day).
 */
function dormant(seed: number, n: number, resume: number, mean = 0.5): LevelSample[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const rate = rng() < resume ? mean * gamma(rng, 1) : 0;
    const actual = Array.from({ length: 28 }, () => poisson(rng, rate));
    return { demandClass: "lumpy" as DemandClass, forecast: new Float64Array(28), phi: 1, actual };
  });
}
