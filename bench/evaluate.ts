import { classifyDemand } from "../src/domain/forecast/intermittent.js";
import { intervalCoverage, mase, wape, weeklyTotals } from "../src/domain/metrics/accuracy.js";
import type { BenchDataset } from "./datasets/bench-dataset.js";

/** Weekly-total WAPE of a forecaster over the series of a data set's hidden window. */
export function datasetWape(
  dataset: BenchDataset,
  forecasts: Map<string, Float64Array>,
  only?: ReadonlySet<string>,
): number {
  const f: number[] = [];
  const a: number[] = [];
  for (const { id } of dataset.series) {
    if (only && !only.has(id)) continue;
    const forecast = forecasts.get(id);
    const actual = dataset.actuals.get(id);
    if (!forecast || !actual) continue;
    f.push(...weeklyTotals(forecast, false));
    a.push(...weeklyTotals(actual));
  }
  return wape(f, a);
}

/** Σ A over the known article-weeks of the hidden window: WAPE's denominator, to pool windows. */
export function datasetActualTotal(dataset: BenchDataset, only?: ReadonlySet<string>): number {
  let total = 0;
  for (const { id } of dataset.series) {
    if (only && !only.has(id)) continue;
    for (const a of weeklyTotals(dataset.actuals.get(id) ?? new Float64Array()))
      if (Number.isFinite(a)) total += a;
  }
  return total;
}

/** Mean MASE over the series (daily values, scaled by the in-sample weekly naive error). */
export function datasetMase(dataset: BenchDataset, forecasts: Map<string, Float64Array>): number {
  const values: number[] = [];
  for (const { id, input } of dataset.series) {
    const forecast = forecasts.get(id);
    const actual = dataset.actuals.get(id);
    if (!forecast || !actual) continue;
    const m = mase(forecast, actual, input.sales.subarray(0, dataset.origin));
    if (Number.isFinite(m)) values.push(m);
  }
  return values.length > 0 ? values.reduce((s, v) => s + v, 0) / values.length : Number.NaN;
}

export function datasetCoverage(
  dataset: BenchDataset,
  lower: Map<string, Float64Array>,
  upper: Map<string, Float64Array>,
): number {
  let inside = 0;
  let n = 0;
  for (const { id } of dataset.series) {
    const l = lower.get(id);
    const u = upper.get(id);
    const a = dataset.actuals.get(id);
    if (!l || !u || !a) continue;
    const c = intervalCoverage(l, u, a);
    const known = Array.from(a).filter(Number.isFinite).length;
    if (Number.isFinite(c)) {
      inside += c * known;
      n += known;
    }
  }
  return n > 0 ? inside / n : Number.NaN;
}

/** Series whose history is intermittent or lumpy (Syntetos–Boylan), for the intermittent-demand target. */
export function intermittentSeries(dataset: BenchDataset): Set<string> {
  return new Set(
    dataset.series
      .filter(({ input }) =>
        ["intermittent", "lumpy"].includes(
          classifyDemand(input.sales.subarray(Math.max(0, dataset.origin - 365), dataset.origin))
            .demandClass,
        ),
      )
      .map((s) => s.id),
  );
}
