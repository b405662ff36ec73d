import type { ChunkPool } from "../concurrency/worker-job.js";
import {
  categoryProfiles,
  chainParts,
  chainQuietFactor,
  finishStore,
  fitStorePooled,
  forecastOneSeries,
  type SeriesResult,
  type StoreSelection,
  selectionOf,
} from "../domain/forecast/forecast-store.js";
import type { IntervalLevels } from "../domain/forecast/interval-calibration.js";
import type { StoreSeries } from "../domain/forecast/model-input.js";
import type { PipelineSpec } from "../domain/forecast/pipeline-spec.js";
import { PROPHET_LIKE_DEFAULT } from "../domain/forecast/select-model.js";
import { withShelfGaps } from "../domain/forecast/shelf-gaps.js";
import { storeDefaultModel } from "../domain/forecast/store-default.js";
import { forecastInWorkers, forecastPoolAhead } from "./forecast-in-workers.js";
import type { LoadedSeries } from "./load-series.js";

export interface StoresForecast {
  forecasts: Map<string, SeriesResult>;
  /** The calibration factors per store id and demand class (step 2 reports them). */
  calibration: Record<string, Record<string, number>>;
  /** The displayed band's levels per store id and demand class (step 2 reports them). */
  intervals: Record<string, Record<string, IntervalLevels>>;
  /**
   * Per store id, the selection these forecasts were made by: this origin's, or the earlier one
   * they were refitted from (passed in) with the choices of the series selected alone tonight.
   */
  selections: Map<number, StoreSelection>;
}

export interface ForecastStoresOptions {
  /** Series per message to a forecasting thread (tests use small chunks to exercise the pool). */
  chunk?: number;
  /** Forecasting threads kept across calls (the simulation's origins); else started here. */
  pool?: ChunkPool;
  /** Earlier selections per store id: their stores' series are refitted, not selected again. */
  earlier?: ReadonlyMap<number, StoreSelection>;
  /**
   * Settles once the forecasting threads may take their memory (step 2: once the thread storing
   * a full reading's history cache is done with the raw history). The store-wide models are
   * fitted meanwhile, on this thread.
   */
  ready?: Promise<void>;
}

/**
 * The forecasting pipeline (domain/forecast/forecast-store.ts) over every store at once: the
 * per-series phase on worker threads, then, store by store, calibration and the declared
 * impacts. Step 2 and `ml predict-sales` both call it, so they serve the same forecasts.
 */
export async function forecastStores(
  loaded: readonly LoadedSeries[],
  origin: number,
  horizon: number,
  spec: PipelineSpec,
  onProgress: (done: number, total: number) => void,
  options: ForecastStoresOptions = {},
): Promise<StoresForecast> {
  const own = options.pool ? null : forecastPoolAhead(loaded.length, options.chunk);
  try {
    const pool = (options.pool ?? own) as ChunkPool;
    return await forecastOnPool(loaded, origin, horizon, spec, onProgress, { ...options, pool });
  } finally {
    await own?.close();
  }
}

async function forecastOnPool(
  loaded: readonly LoadedSeries[],
  origin: number,
  horizon: number,
  spec: PipelineSpec,
  onProgress: (done: number, total: number) => void,
  { chunk, pool, earlier = new Map(), ready }: ForecastStoresOptions & { pool: ChunkPool },
): Promise<StoresForecast> {
  const byStore = new Map<number, LoadedSeries[]>();
  for (const s of loaded) {
    const list = byStore.get(s.store.id) ?? [];
    list.push(s);
    byStore.set(s.store.id, list);
  }
  // What the engine reads of each series: its sales with the spec's unrecorded empty shelves.
  const engineSeries = new Map(
    [...byStore].map(([store, list]) => [
      store,
      withShelfGaps(
        list.map((s) => ({
          key: s.key,
          input: s.input,
          knownDays: s.knownDays,
          categoryId: s.article.categoryId,
        })),
        origin,
        spec.shelfGaps,
      ),
    ]),
  );
  const bySeriesKey = new Map([...engineSeries.values()].flat().map((s) => [s.key, s]));
  const asStoreSeries = (s: LoadedSeries): StoreSeries => bySeriesKey.get(s.key) as StoreSeries;
  const storeWide = <T>(f: (series: StoreSeries[], store: number) => T) =>
    new Map([...engineSeries].map(([store, series]) => [store, f(series, store)]));
  // Store-wide parts first (pooled model, default model), on this thread: plain data for workers.
  // A store refitted by an earlier selection takes both from it.
  // The chain's shared parts, unless every store is refitted by an earlier selection tonight.
  const chain = [...engineSeries.keys()].every((store) => earlier.has(store))
    ? {}
    : chainParts([...engineSeries.values()], origin, horizon, spec);
  const pooled = storeWide((series, store) => {
    const selection = earlier.get(store);
    if (selection) return selection.pooled;
    return chain.pooled !== undefined ? chain.pooled : fitStorePooled(series, origin, spec);
  });
  // A chain default's sampled series are finished below with the stores they belong to.
  const defaults = storeWide((series, store) => {
    const selection = earlier.get(store);
    if (selection) return { models: selection.defaultModels, scored: new Map() };
    return (
      chain.storeDefault ??
      storeDefaultModel(series, origin, horizon, spec, pooled.get(store) ?? null)
    );
  });
  const profiles = storeWide((series) => categoryProfiles(series, origin, spec));
  // The series the default models were chosen on are finished here, from their forecasts.
  const sampled = (s: LoadedSeries) => defaults.get(s.store.id)?.scored.has(s.key) ?? false;
  // Progress counts every series: the sampled ones are as good as done already.
  const ahead = loaded.filter(sampled).length;
  if (ahead > 0) onProgress(ahead, loaded.length);
  await ready;
  const results = await forecastInWorkers(
    {
      series: loaded
        .filter((s) => !sampled(s))
        .map((s) => ({
          ...asStoreSeries(s),
          storeId: s.store.id,
          choice: earlier.get(s.store.id)?.choices.get(s.key),
        })),
      origin,
      horizon,
      profiles: [...profiles].map(([store, byCategory]) => [store, [...byCategory.entries()]]),
      pooled: [...pooled],
      defaults: [...defaults].map(([store, d]) => [store, d.models]),
      spec,
    },
    (done) => onProgress(ahead + done, loaded.length),
    pool,
    chunk,
  );
  for (const s of loaded.filter(sampled)) {
    const storeDefault = defaults.get(s.store.id);
    results.push({
      key: s.key,
      forecast: forecastOneSeries(
        asStoreSeries(s),
        origin,
        horizon,
        profiles.get(s.store.id) ?? new Map(),
        spec,
        pooled.get(s.store.id) ?? null,
        storeDefault?.models,
        storeDefault?.scored.get(s.key),
      ),
    });
  }
  const byKey = new Map(results.map((r) => [r.key, r.forecast]));
  const chainQuiet = chainQuietFactor(byKey.values(), spec);
  const forecasts = new Map<string, SeriesResult>();
  const calibration: Record<string, Record<string, number>> = {};
  const intervals: Record<string, Record<string, IntervalLevels>> = {};
  const selections = new Map<number, StoreSelection>();
  for (const [store, list] of byStore) {
    const storeResults = list.map((s) => byKey.get(s.key) ?? null);
    const series = engineSeries.get(store) ?? [];
    // A refitted store's series keep their choices; those selected afresh bring theirs.
    selections.set(
      store,
      selectionOf(
        pooled.get(store) ?? null,
        defaults.get(store)?.models ?? PROPHET_LIKE_DEFAULT,
        series,
        storeResults,
      ),
    );
    const impacts = new Map(list.map((s) => [s.key, s.impacts]));
    const finished = finishStore(
      series,
      storeResults,
      { origin, horizon, impacts, chainQuiet },
      spec,
    );
    calibration[String(store)] = finished.calibration;
    intervals[String(store)] = finished.intervals;
    list.forEach((s, k) => {
      const r = storeResults[k];
      if (r) forecasts.set(s.key, r);
    });
  }
  return { forecasts, calibration, intervals, selections };
}
