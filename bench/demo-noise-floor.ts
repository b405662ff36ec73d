import { existsSync, rmSync } from "node:fs";
import { type DemoOptions, generateDemoDatabase } from "../src/demo/generate-demo.js";
import { createRng } from "../src/demo/random.js";
import { type DemandNoise, drawDemand, expectedUnits } from "../src/demo/simulate-series.js";
import { dayFromIso } from "../src/domain/calendar/days.js";
import { loadLegacyDataset } from "./datasets/demo-database.js";
import { datasetWape, intermittentSeries } from "./evaluate.js";

export interface NoiseFloor {
  /** Weekly WAPE of the true expected demand, all series and intermittent ones. */
  expected: { all: number; intermittent: number };
  /** The same with the true median of each weekly total (what minimises absolute error). */
  weeklyMedian: { all: number; intermittent: number };
}

const DRAWS = 2000;

/**
 * What no forecaster can beat on the demo database: the demand the simulation draws from is
 * known, so a forecaster told it exactly still errs by the day-to-day noise. The database is
 * generated again with the same options (the generator is deterministic) to observe that truth,
 * and scored on the same hidden weeks as the models.
 */
export function demoNoiseFloor(path: string, options: DemoOptions, horizon: number): NoiseFloor {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  const firstHidden = dayFromIso(options.today) - horizon;
  const truth = new Map<string, { noise: DemandNoise; lambda: Float64Array }>();
  generateDemoDatabase(path, options, undefined, (article, storeId, day, lambda) => {
    if (day < firstHidden) return;
    const key = `${article.id}:${storeId}`;
    let entry = truth.get(key);
    if (!entry) {
      entry = { noise: article, lambda: new Float64Array(horizon) };
      truth.set(key, entry);
    }
    entry.lambda[day - firstHidden] = lambda;
  });
  try {
    const dataset = loadLegacyDataset(path, "noise floor", options.today, horizon);
    const intermittent = intermittentSeries(dataset);
    const expected = new Map<string, Float64Array>();
    const weeklyMedian = new Map<string, Float64Array>();
    const rng = createRng(options.seed);
    for (const { id } of dataset.series) {
      const t = truth.get(id);
      if (!t) {
        // No open day simulated in the hidden weeks (delisted): the truth is no demand.
        expected.set(id, new Float64Array(horizon));
        weeklyMedian.set(id, new Float64Array(horizon));
        continue;
      }
      const mean = t.lambda.map((l) => expectedUnits(l, t.noise));
      expected.set(id, mean);
      weeklyMedian.set(id, medianPerWeek(mean, t.lambda, t.noise, rng));
    }
    const score = (forecasts: Map<string, Float64Array>) => ({
      all: datasetWape(dataset, forecasts),
      intermittent: datasetWape(dataset, forecasts, intermittent),
    });
    return { expected: score(expected), weeklyMedian: score(weeklyMedian) };
  } finally {
    for (const suffix of ["", "-wal", "-shm"])
      if (existsSync(path + suffix)) rmSync(path + suffix, { force: true });
  }
}

/** Daily values whose weekly sums are the weeks' median totals (by simulation), spread as the means. */
function medianPerWeek(
  mean: Float64Array,
  lambda: Float64Array,
  noise: DemandNoise,
  rng: () => number,
): Float64Array {
  const out = new Float64Array(mean.length);
  for (let start = 0; start + 7 <= mean.length; start += 7) {
    const totals = new Float64Array(DRAWS);
    for (let r = 0; r < DRAWS; r++) {
      let total = 0;
      for (let d = start; d < start + 7; d++)
        if ((lambda[d] as number) > 0) total += drawDemand(rng, lambda[d] as number, noise);
      totals[r] = total;
    }
    totals.sort();
    const median = totals[DRAWS / 2] as number;
    let weekMean = 0;
    for (let d = start; d < start + 7; d++) weekMean += mean[d] as number;
    for (let d = start; d < start + 7; d++)
      out[d] = weekMean > 0 ? ((mean[d] as number) / weekMean) * median : 0;
  }
  return out;
}
