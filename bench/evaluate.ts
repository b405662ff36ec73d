import { wape, weeklyTotals } from "../src/domain/metrics/accuracy.js";
import type { BenchDataset } from "./datasets/bench-dataset.js";

/** Weekly-total WAPE of a forecaster over every series of a data set's hidden window. */
export function datasetWape(dataset: BenchDataset, forecasts: Map<string, Float64Array>): number {
  const f: number[] = [];
  const a: number[] = [];
  for (const { id } of dataset.series) {
    const forecast = forecasts.get(id);
    const actual = dataset.actuals.get(id);
    if (!forecast || !actual) continue;
    f.push(...weeklyTotals(forecast, false));
    a.push(...weeklyTotals(actual));
  }
  return wape(f, a);
}
