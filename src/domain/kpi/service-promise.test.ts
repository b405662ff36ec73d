import { describe, expect, it } from "vitest";
import { createRng, gamma, type Rng } from "../../demo/random.js";
import {
  heldShareRange,
  periodCensored,
  periodSales,
  type ServiceCheck,
  serviceOutcome,
  servicePromiseFigures,
} from "./service-promise.js";

const check = (over: Partial<ServiceCheck>): ServiceCheck => ({
  series: "1:1",
  abc: "C",
  serviceLevel: 0.9,
  quantile: 10,
  sold: 10,
  censored: false,
  ...over,
});

describe("whether a night's service level held over its period", () => {
  it("holds at the quantile itself, breaks above it, says nothing after a stock-out", () => {
    expect(serviceOutcome(check({ sold: 10 }))).toBe("held");
    expect(serviceOutcome(check({ sold: 11 }))).toBe("missed");
    expect(serviceOutcome(check({ sold: 10.5 }))).toBe("missed");
    // A stock-out leaves the period out, whether it sold more than q_s or not: counting only
    // the misses of such periods would count none of their holds.
    expect(serviceOutcome(check({ sold: 11, censored: true }))).toBe("unknown");
    expect(serviceOutcome(check({ sold: 3, censored: true }))).toBe("unknown");
    // A forecast of nothing promises nothing above 0: one unit sold breaks it.
    expect(serviceOutcome(check({ quantile: 0, sold: 0 }))).toBe("held");
    expect(serviceOutcome(check({ quantile: 0, sold: 1 }))).toBe("missed");
  });

  it("counts per class and promised level, A first, the censored apart", () => {
    const figures = servicePromiseFigures([
      check({ abc: "C", sold: 12 }),
      check({ abc: "C", sold: 2 }),
      check({ abc: "C", sold: 2 }),
      check({ abc: "C", sold: 2, censored: true }),
      // A stock-out, yet its sales alone broke the promise: a miss, counted apart.
      check({ abc: "C", sold: 12, censored: true }),
      check({ abc: "A", serviceLevel: 0.98, sold: 1 }),
      // The level changed in the settings between two nights: a line of its own.
      check({ abc: "A", serviceLevel: 0.99, sold: 20 }),
    ]);
    expect(figures.map(({ heldRange: _, ...counts }) => counts)).toEqual([
      {
        abc: "A",
        serviceLevel: 0.99,
        periods: 1,
        held: 0,
        heldShare: 0,
        censored: 0,
        censoredMissed: 0,
      },
      {
        abc: "A",
        serviceLevel: 0.98,
        periods: 1,
        held: 1,
        heldShare: 1,
        censored: 0,
        censoredMissed: 0,
      },
      {
        abc: "C",
        serviceLevel: 0.9,
        periods: 3,
        held: 2,
        heldShare: 2 / 3,
        censored: 2,
        censoredMissed: 1,
      },
    ]);
  });

  it("has no share for a class whose periods were all censored", () => {
    expect(servicePromiseFigures([check({ sold: 1, censored: true })])).toEqual([
      {
        abc: "C",
        serviceLevel: 0.9,
        periods: 0,
        held: 0,
        heldShare: null,
        heldRange: null,
        censored: 1,
        censoredMissed: 0,
      },
    ]);
    expect(servicePromiseFigures([])).toEqual([]);
  });
});

describe("how far chance alone could move the share held", () => {
  /** 100 periods over 10 series of 10; `missedBy[i]`: periods series i missed. */
  const periods = (missedBy: number[]) =>
    missedBy.flatMap((missed, i) =>
      Array.from({ length: 10 }, (_, j) => check({ series: `s${i}`, sold: j < missed ? 11 : 5 })),
    );
  const range = (missedBy: number[]) => servicePromiseFigures(periods(missedBy))[0]?.heldRange;

  it("is the Wilson interval of independent periods when misses are spread over the series", () => {
    // 90 held of 100, by hand: p = 0.9, n = 100, z = 1.6449 (90%).
    const spread = range([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(spread?.low).toBeCloseTo(0.8396, 4);
    expect(spread?.high).toBeCloseTo(0.9393, 4);
    // One period per series: the same independent periods (but for the k/(k − 1) correction).
    const one = Array.from({ length: 100 }, (_, i) =>
      check({ series: `s${i}`, sold: i < 10 ? 11 : 5 }),
    );
    const single = servicePromiseFigures(one)[0]?.heldRange;
    expect(single?.low).toBeCloseTo(0.8396, 3);
    expect(single?.high).toBeCloseTo(0.9393, 3);
  });

  it("widens when the misses are one series' (its periods are not independent draws)", () => {
    // All 10 misses in one series: design effect 100/9, about 9 independent periods.
    const together = range([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(together?.low).toBeCloseTo(0.6362, 4);
    expect(together?.high).toBeCloseTo(0.9789, 4);
  });

  it("covers the true rate about 9 times in 10 when series differ, where a binomial range does not", () => {
    // 400 checks of 150 series × 9 periods. Each series holds its promise with its own
    // probability, Beta(4.5, 0.5): mean 0.9, the spread a model that reads some series badly
    // gives. Periods of independent draws (the binomial range) count each series 9 times.
    const rng = createRng(2026);
    const beta = (r: Rng, a: number, b: number) => {
      const x = gamma(r, a);
      return x / (x + gamma(r, b));
    };
    let clustered = 0;
    let binomial = 0;
    const checks = 400;
    for (let c = 0; c < checks; c++) {
      const counts = Array.from({ length: 150 }, () => {
        const p = beta(rng, 4.5, 0.5);
        let held = 0;
        for (let j = 0; j < 9; j++) if (rng() < p) held++;
        return { held, periods: 9 };
      });
      const inside = (r: { low: number; high: number } | null) =>
        r && r.low <= 0.9 && 0.9 <= r.high;
      if (inside(heldShareRange(counts))) clustered++;
      const periods = counts.flatMap(({ held }) =>
        Array.from({ length: 9 }, (_, j) => ({ held: j < held ? 1 : 0, periods: 1 })),
      );
      if (inside(heldShareRange(periods))) binomial++;
    }
    expect(clustered / checks).toBeGreaterThan(0.85);
    expect(clustered / checks).toBeLessThan(0.95);
    expect(binomial / checks).toBeLessThan(0.8);
  });

  it("stays inside 0–100% and below 100% when every period held", () => {
    const all = range([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(all?.high).toBe(1);
    expect(all?.low).toBeCloseTo(0.9737, 4);
    const none = range([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(none?.low).toBe(0);
    expect(none?.high).toBeGreaterThan(0);
  });
});

describe("the sales of a period", () => {
  it("sums its days' known sales", () => {
    expect(periodSales([2, 3, Number.NaN, 1, 4], 0, 3)).toBe(6);
    expect(periodSales([2, 3, 0, 1, 4], 4, 4)).toBe(4);
  });

  it("has none for a period not wholly inside the history", () => {
    expect(periodSales([1, 1, 1], 1, 3)).toBeNull();
    expect(periodSales([1, 1, 1], -1, 1)).toBeNull();
    expect(periodSales([1, 1, 1], 2, 1)).toBeNull();
  });

  it("is censored by an open day without known demand, not by a closed one", () => {
    const open = [1, 1, 0, 1, 1];
    expect(periodCensored([2, 3, Number.NaN, 1, 4], open, 0, 3)).toBe(false);
    expect(periodCensored([2, Number.NaN, 0, 1, 4], open, 0, 4)).toBe(true);
    expect(periodCensored([2, Number.NaN, 0, 1, 4], open, 2, 4)).toBe(false);
  });
});
