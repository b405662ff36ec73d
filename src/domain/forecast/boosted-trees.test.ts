import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import { DEFAULT_BOOST, fitBoostedTrees, treesOutput } from "./boosted-trees.js";

/** n rows of two features in [0, 1); y Poisson with log-mean `logMean(x0, x1)`. */
function sample(n: number, seed: number, logMean: (x0: number, x1: number) => number) {
  const rng = createRng(seed);
  const x = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const x0 = rng();
    const x1 = rng();
    x[2 * r] = x0;
    x[2 * r + 1] = x1;
    y[r] = poisson(rng, Math.exp(logMean(x0, x1)));
  }
  return { x, y };
}

describe("boosted Poisson trees", () => {
  it("learn an interaction a linear log-mean misses, from a constant start", () => {
    // Mean 12 only where both features are high: an interaction.
    const truth = (x0: number, x1: number) => Math.log(x0 > 0.5 && x1 > 0.5 ? 12 : 2);
    const { x, y } = sample(20_000, 3, truth);
    const start = new Float64Array(20_000).fill(Math.log(4.5));
    const trees = fitBoostedTrees(x, y, start, 20_000, 2, { ...DEFAULT_BOOST, trees: 80 });
    for (const [x0, x1] of [
      [0.2, 0.2],
      [0.8, 0.2],
      [0.2, 0.8],
      [0.8, 0.8],
    ] as const)
      expect(Math.log(4.5) + treesOutput(trees, [x0, x1])).toBeCloseTo(truth(x0, x1), 1);
  });

  it("add nothing where the start is already the truth", () => {
    const truth = (x0: number) => Math.log(1 + 5 * x0);
    const { x, y } = sample(20_000, 5, truth);
    const start = new Float64Array(20_000).map((_, r) => truth(x[2 * r] as number));
    const trees = fitBoostedTrees(x, y, start, 20_000, 2);
    for (const x0 of [0.1, 0.5, 0.9])
      expect(Math.abs(treesOutput(trees, [x0, 0.5]))).toBeLessThan(0.05);
  });

  it("leave a constant feature unsplit and move every row alike", () => {
    const n = 5_000;
    const x = new Float64Array(n * 2).fill(1);
    const y = new Float64Array(n).map((_, r) => r % 5);
    const trees = fitBoostedTrees(x, y, new Float64Array(n), n, 2);
    expect(trees.threshold.every((t) => t === Number.POSITIVE_INFINITY)).toBe(true);
    // Mean 2 from a start of log-mean 0: 60 shrunk Newton steps close the gap to log 2.
    expect(treesOutput(trees, [1, 1])).toBeCloseTo(Math.log(2), 2);
  });
});
