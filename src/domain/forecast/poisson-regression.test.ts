import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import { poissonRegression, RegressionRows } from "./poisson-regression.js";

/** Rows of an intercept, a dense feature, an indicator (mostly 0) and a constant column. */
function rows(n: number, seed: number) {
  const rng = createRng(seed);
  const p = 4;
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  const truth = [0.5, 0.8, -1.2, 0];
  for (let r = 0; r < n; r++) {
    x[r * p] = 1;
    x[r * p + 1] = 2 + rng();
    x[r * p + 2] = rng() < 0.1 ? 1 : 0;
    x[r * p + 3] = 3;
    const eta = truth[0]! + truth[1]! * x[r * p + 1]! + truth[2]! * x[r * p + 2]!;
    y[r] = poisson(rng, Math.exp(eta));
  }
  return { x, y, n, p, truth };
}

describe("the Poisson regression", () => {
  it("recovers the coefficients its counts were drawn with, and leaves its rows as they were", () => {
    const { x, y, n, p, truth } = rows(40_000, 3);
    const before = Float64Array.from(x);
    const beta = poissonRegression(x, y, n, p, { ridge: 1e-6, iterations: 8, warmStartRows: 0 });
    expect(beta[1]).toBeCloseTo(truth[1] as number, 1);
    expect(beta[2]).toBeCloseTo(truth[2] as number, 1);
    // A constant column carries nothing: the intercept takes its part.
    expect(beta[3]).toBe(0);
    expect(beta[0]).toBeCloseTo(truth[0] as number, 1);
    expect(x).toEqual(before);
  });

  it("reaches the same optimum from a warm start on a sample as with every step on every row", () => {
    const { x, y, n, p } = rows(40_000, 5);
    const spec = { ridge: 1, iterations: 8, warmStartRows: 4_000 };
    const warm = poissonRegression(x, y, n, p, spec);
    const plain = poissonRegression(x, y, n, p, { ...spec, warmStartRows: 0 });
    for (let a = 0; a < p; a++) expect(warm[a]).toBeCloseTo(plain[a] as number, 5);
  });

  it("reaches it too when a feature is too rare for the sample to see well", () => {
    // One row in 200 holds the indicator: a tenth of the rows sees about 20 of them, and its
    // Hessian underweights that direction (what Anderson's mixing corrects).
    const { x, y, n, p } = rows(40_000, 7);
    for (let r = 0; r < n; r++) {
      const rare = r % 200 === 0 ? 1 : 0;
      x[r * p + 2] = rare;
      if (rare) y[r] = (y[r] as number) * 4 + 3;
    }
    const spec = { ridge: 1, iterations: 8, warmStartRows: 4_000 };
    const warm = poissonRegression(x, y, n, p, spec);
    const plain = poissonRegression(x, y, n, p, { ...spec, warmStartRows: 0 });
    expect(warm[2]).toBeGreaterThan(0.5);
    for (let a = 0; a < p; a++) expect(warm[a]).toBeCloseTo(plain[a] as number, 5);
  });

  it("satisfies the penalised optimum's condition: the gradient balances the ridge", () => {
    const { x, y, n, p } = rows(20_000, 9);
    const ridge = 50;
    const beta = poissonRegression(x, y, n, p, { ridge, iterations: 20, warmStartRows: 0 });
    // On the standardised dense feature: Σ (μ − y)(x − c)/s + ridge·β·s = 0.
    let mean = 0;
    let sq = 0;
    for (let r = 0; r < n; r++) {
      mean += x[r * p + 1] as number;
      sq += (x[r * p + 1] as number) ** 2;
    }
    mean /= n;
    const sd = Math.sqrt(sq / n - mean * mean);
    let gradient = 0;
    let intercept = 0;
    for (let r = 0; r < n; r++) {
      let eta = 0;
      for (let a = 0; a < p; a++) eta += (beta[a] as number) * (x[r * p + a] as number);
      const residual = Math.exp(eta) - (y[r] as number);
      gradient += (residual * ((x[r * p + 1] as number) - mean)) / sd;
      intercept += residual;
    }
    expect(Math.abs(intercept) / n).toBeLessThan(1e-6);
    expect(Math.abs(gradient + ridge * (beta[1] as number) * sd) / n).toBeLessThan(1e-6);
  });

  it("with a Tweedie loss, satisfies Tweedie's optimum condition, which Poisson's fit does not", () => {
    // Overdispersed counts (a Poisson of a gamma-distributed mean) whose log-mean is not a line
    // in the feature, so that the two losses' best lines differ. With a tiny ridge, the score
    // equations Σ μ^(1−q)·(μ − y)·x = 0, for the intercept and the dense feature.
    const { x, n, p } = rows(20_000, 15);
    const rng = createRng(16);
    const y = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const mean = Math.exp(
        0.5 + 0.8 * (x[r * p + 1] as number) + 4 * ((x[r * p + 1] as number) - 2.5) ** 2,
      );
      const shape = 2;
      let gamma = 0;
      for (let k = 0; k < shape; k++) gamma -= Math.log(1 - rng());
      y[r] = poisson(rng, (mean * gamma) / shape);
    }
    const q = 1.5;
    const score = (beta: Float64Array) => {
      let intercept = 0;
      let feature = 0;
      let scale = 0;
      for (let r = 0; r < n; r++) {
        let eta = 0;
        for (let a = 0; a < p; a++) eta += (beta[a] as number) * (x[r * p + a] as number);
        const mu = Math.exp(eta);
        const residual = mu ** (1 - q) * (mu - (y[r] as number));
        intercept += residual;
        feature += residual * (x[r * p + 1] as number);
        scale += mu ** (2 - q);
      }
      return [intercept / scale, feature / scale];
    };
    const spec = { ridge: 1e-6, iterations: 20, warmStartRows: 0 };
    const tweedie = poissonRegression(x, y, n, p, { ...spec, tweediePower: q });
    for (const v of score(tweedie)) expect(Math.abs(v)).toBeLessThan(1e-6);
    const plain = poissonRegression(x, y, n, p, spec);
    expect(Math.max(...score(plain).map(Math.abs))).toBeGreaterThan(1e-3);
    // The warm start on a sample reaches the same optimum with this loss too.
    const warm = poissonRegression(x, y, n, p, { ...spec, warmStartRows: 2_000, tweediePower: q });
    for (let a = 0; a < p; a++) expect(warm[a]).toBeCloseTo(tweedie[a] as number, 5);
  });

  it("refuses a Tweedie power outside [1, 2), where its loss is not that of counts", () => {
    const { x, y, n, p } = rows(1_000, 17);
    const spec = { ridge: 1, iterations: 8, warmStartRows: 0 };
    for (const tweediePower of [0.5, 2, 3, Number.NaN])
      expect(() => poissonRegression(x, y, n, p, { ...spec, tweediePower })).toThrow(RangeError);
    expect(poissonRegression(x, y, n, p, { ...spec, tweediePower: 1 })).toEqual(
      poissonRegression(x, y, n, p, spec),
    );
  });

  it("keeps pushed rows sparse and gives them back as they were pushed", () => {
    const { x, y, n, p } = rows(500, 11);
    const pushed = new RegressionRows(p, 16);
    for (let r = 0; r < n; r++) pushed.push(x.subarray(r * p, (r + 1) * p), y[r] as number);
    expect(pushed.n).toBe(n);
    expect(pushed.dense()).toEqual(x);
    expect([...pushed.y.subarray(0, n)]).toEqual([...y]);
    // The indicator's zeros are not stored: the intercept is implicit, the two other columns
    // are in every row, the indicator in a tenth of them.
    let indicators = 0;
    for (let r = 0; r < n; r++) indicators += x[r * p + 2] as number;
    expect(pushed.start[n]).toBe(2 * n + indicators);
  });

  it("fits the same whether a constant column is stored or absent", () => {
    // Its 3s are stored and must be left out of the rows the steps read (sparseRows copies
    // them without it); a column of zeros stores nothing (the rows are read as stored).
    const { x, y, n, p } = rows(20_000, 13);
    const zeros = Float64Array.from(x);
    for (let r = 0; r < n; r++) zeros[r * p + 3] = 0;
    const spec = { ridge: 1, iterations: 8, warmStartRows: 4_000 };
    const stored = poissonRegression(x, y, n, p, spec);
    const absent = poissonRegression(zeros, y, n, p, spec);
    for (let a = 0; a < 3; a++) expect(stored[a]).toBeCloseTo(absent[a] as number, 9);
    expect(stored[3]).toBe(0);
    expect(absent[3]).toBe(0);
  });
});
