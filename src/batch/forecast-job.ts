import type { WeekdayProfile } from "../domain/forecast/category-profile.js";
import { forecastOneSeries, type SeriesResult } from "../domain/forecast/forecast-store.js";
import type { StoreSeries } from "../domain/forecast/model-input.js";
import type { PipelineSpec } from "../domain/forecast/pipeline-spec.js";
import type { PooledFit } from "../domain/forecast/pooled-model.js";
import type { DefaultModels, SeriesChoice } from "../domain/forecast/select-model.js";

/** One slice of step 2's work: plain data, so that it can cross to a worker thread. */
export interface ForecastJob {
  /** With `choice`, a series is refitted by an earlier selection's choice (StoreSelection). */
  series: (StoreSeries & { storeId: number; choice?: SeriesChoice })[];
  origin: number;
  horizon: number;
  /** Weekday profiles per category, of each store (keyed by store id). */
  profiles: [number, [number | null, WeekdayProfile][]][];
  /** Each store's pooled model, when the spec has one, and its default model. */
  pooled: [number, PooledFit | null][];
  defaults: [number, DefaultModels][];
  spec: PipelineSpec;
}

export interface ForecastJobResult {
  key: string;
  forecast: SeriesResult | null;
}

/** The per-series phase of the forecasting pipeline (forecast-store.ts) on a chunk of series. */
export function forecastJob(job: ForecastJob): ForecastJobResult[] {
  const profiles = new Map(job.profiles.map(([store, list]) => [store, new Map(list)]));
  const pooled = new Map(job.pooled);
  const defaults = new Map(job.defaults);
  return job.series.map((s) => ({
    key: s.key,
    forecast: forecastOneSeries(
      s,
      job.origin,
      job.horizon,
      profiles.get(s.storeId) ?? new Map(),
      job.spec,
      pooled.get(s.storeId) ?? null,
      defaults.get(s.storeId),
      undefined,
      s.choice,
    ),
  }));
}
