import { CANDIDATES, forecastSeries } from "../src/domain/forecast/select-model.js";
import type { BenchDataset } from "./datasets/bench-dataset.js";
import { datasetWape } from "./evaluate.js";

export interface AccuracyRow {
  dataset: string;
  model: string;
  weeklyWape: number;
  msPerSeries: number;
}

/**
 * Every candidate alone, then the per-series selection, on the same hidden window of the same
 * data set, timed in the same run (fit + forecast; the selection includes its backtests).
 */
export function runAccuracyBench(dataset: BenchDataset): AccuracyRow[] {
  const rows: AccuracyRow[] = [];
  const n = dataset.series.length;
  for (const candidate of CANDIDATES) {
    const forecasts = new Map<string, Float64Array>();
    const started = performance.now();
    for (const s of dataset.series)
      forecasts.set(
        s.id,
        candidate.forecast(s.input, dataset.origin, dataset.horizon, () => undefined),
      );
    rows.push({
      dataset: dataset.name,
      model: candidate.name,
      weeklyWape: datasetWape(dataset, forecasts),
      msPerSeries: (performance.now() - started) / n,
    });
  }
  const selected = new Map<string, Float64Array>();
  const started = performance.now();
  for (const s of dataset.series)
    selected.set(s.id, forecastSeries(s.input, dataset.origin, dataset.horizon).mean);
  rows.push({
    dataset: dataset.name,
    model: "optiflow (selected per series)",
    weeklyWape: datasetWape(dataset, selected),
    msPerSeries: (performance.now() - started) / n,
  });
  return rows;
}
