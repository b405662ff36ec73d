import type { ChunkPool } from "../concurrency/worker-job.js";
import {
  categoryProfiles,
  chainParts,
  chainQuietFactor,
  finishChain,
  fitStorePooled,
  forecastOneSeries,
  type SeriesResult,
  type StoreFinish,
  type StoreSelection,
  selectionOf,
} from "../domain/forecast/forecast-store.js";
import type { IntervalLevels } from "../domain/forecast/interval-calibration.js";
import type { PeriodLevel } from "../domain/forecast/level-uncertainty.js";
import type { StoreSeries } from "../domain/forecast/model-input.js";
import type { PipelineSpec } from "../domain/forecast/pipeline-spec.js";
import type { PooledFit } from "../domain/forecast/pooled-model.js";
import { PROPHET_LIKE_DEFAULT } from "../domain/forecast/select-model.js";
import { withShelfGaps } from "../domain/forecast/shelf-gaps.js";
import { type StoreDefault, storeDefaultModel } from "../domain/forecast/store-default.js";
import { forecastInWorkers, forecastPoolAhead } from "./forecast-in-workers.js";
import type { LoadedSeries } from "./load-series.js";

export interface StoresForecast {
  forecasts: Map<string, SeriesResult>;
  /** The calibration factors per store id and demand class (step 2 reports them). */
  calibration: Record<string, Record<string, number>>;
  /** The displayed band's levels per store id and demand class (step 2 reports them). */
  intervals: Record<string, Record<string, IntervalLevels>>;
  /** Per store, what the level is known to over a period of days, per class (for the log). */
  periodLevels: Record<string, Record<string, PeriodLevel>>;
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
  const parts = storeParts(byStore, origin, horizon, spec, earlier);
  // Progress counts every series: the default models' sampled ones are as good as done already.
  const ahead = loaded.filter((s) => parts.sampled(s)).length;
  if (ahead > 0) onProgress(ahead, loaded.length);
  await ready;
  const results = await forecastInWorkers(
    {
      series: loaded
        .filter((s) => !parts.sampled(s))
        .map((s) => ({
          ...parts.engineSeriesOf(s),
          storeId: s.store.id,
          choice: earlier.get(s.store.id)?.choices.get(s.key),
        })),
      origin,
      horizon,
      profiles: [...parts.profiles].map(([store, byCategory]) => [
        store,
        [...byCategory.entries()],
      ]),
      pooled: [...parts.pooled],
      defaults: [...parts.defaults].map(([store, d]) => [store, d.models]),
      spec,
    },
    (done) => onProgress(ahead + done, loaded.length),
    pool,
    chunk,
  );
  results.push(...sampledForecasts(loaded, parts, origin, horizon, spec));
  return finishStores(byStore, parts, new Map(results.map((r) => [r.key, r.forecast])), {
    origin,
    horizon,
    spec,
  });
}

/** What every series of a store shares, fitted on this thread: plain data for the workers. */
interface StoreParts {
  /** What the engine reads of each store's series (its sales with unrecorded empty shelves). */
  engineSeries: Map<number, StoreSeries[]>;
  engineSeriesOf: (s: LoadedSeries) => StoreSeries;
  pooled: Map<number, PooledFit | null>;
  defaults: Map<number, StoreDefault>;
  profiles: Map<number, ReturnType<typeof categoryProfiles>>;
  /** Whether a series was forecast while its store's default model was chosen. */
  sampled: (s: LoadedSeries) => boolean;
}

/**
 * The store-wide parts (pooled model, default model, category profiles). A store refitted by an
 * earlier selection takes the first two from it; the chain's are fitted unless every store is.
 */
function storeParts(
  byStore: ReadonlyMap<number, readonly LoadedSeries[]>,
  origin: number,
  horizon: number,
  spec: PipelineSpec,
  earlier: ReadonlyMap<number, StoreSelection>,
): StoreParts {
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
  const storeWide = <T>(f: (series: StoreSeries[], store: number) => T) =>
    new Map([...engineSeries].map(([store, series]) => [store, f(series, store)]));
  const chain = [...engineSeries.keys()].every((store) => earlier.has(store))
    ? {}
    : chainParts([...engineSeries.values()], origin, horizon, spec);
  const pooled = storeWide((series, store) => {
    const selection = earlier.get(store);
    if (selection) return selection.pooled;
    return chain.pooled !== undefined ? chain.pooled : fitStorePooled(series, origin, spec);
  });
  // A chain default's sampled series are finished with the stores they belong to.
  const defaults = storeWide((series, store): StoreDefault => {
    const selection = earlier.get(store);
    if (selection) return { models: selection.defaultModels, scored: new Map() };
    return (
      chain.storeDefault ??
      storeDefaultModel(series, origin, horizon, spec, pooled.get(store) ?? null)
    );
  });
  return {
    engineSeries,
    engineSeriesOf: (s) => bySeriesKey.get(s.key) as StoreSeries,
    pooled,
    defaults,
    profiles: storeWide((series) => categoryProfiles(series, origin, spec)),
    sampled: (s) => defaults.get(s.store.id)?.scored.has(s.key) ?? false,
  };
}

/** The series the default models were chosen on, finished from the forecasts made then. */
function sampledForecasts(
  loaded: readonly LoadedSeries[],
  parts: StoreParts,
  origin: number,
  horizon: number,
  spec: PipelineSpec,
): { key: string; forecast: SeriesResult | null }[] {
  return loaded
    .filter((s) => parts.sampled(s))
    .map((s) => {
      const storeDefault = parts.defaults.get(s.store.id);
      return {
        key: s.key,
        forecast: forecastOneSeries(
          parts.engineSeriesOf(s),
          origin,
          horizon,
          parts.profiles.get(s.store.id) ?? new Map(),
          spec,
          parts.pooled.get(s.store.id) ?? null,
          storeDefault?.models,
          storeDefault?.scored.get(s.key),
        ),
      };
    });
}

/**
 * Store by store, once every series is forecast (a chain's quiet factor needs them all): the
 * selection to save, calibration, the displayed band and the declared impacts.
 */
function finishStores(
  byStore: ReadonlyMap<number, readonly LoadedSeries[]>,
  parts: StoreParts,
  byKey: ReadonlyMap<string, SeriesResult | null>,
  { origin, horizon, spec }: { origin: number; horizon: number; spec: PipelineSpec },
): StoresForecast {
  const chainQuiet = chainQuietFactor(byKey.values(), spec);
  const selections = new Map<number, StoreSelection>();
  const stores = [...byStore].map(([store, list]) => {
    const results = list.map((s) => byKey.get(s.key) ?? null);
    const series = parts.engineSeries.get(store) ?? [];
    // A refitted store's series keep their choices; those selected afresh bring theirs. Chosen
    // before finishing: a later refit is calibrated again.
    selections.set(
      store,
      selectionOf(
        parts.pooled.get(store) ?? null,
        parts.defaults.get(store)?.models ?? PROPHET_LIKE_DEFAULT,
        series,
        results,
      ),
    );
    const impacts = new Map(list.map((s) => [s.key, s.impacts]));
    return { series, results, plan: { origin, horizon, impacts, chainQuiet } };
  });
  const finished = finishChain(stores, spec);
  const forecasts = new Map<string, SeriesResult>();
  const ids = [...byStore.keys()].map(String);
  const logOf = <T>(pick: (f: StoreFinish) => T) =>
    Object.fromEntries(finished.map((f, k) => [ids[k] as string, pick(f)]));
  [...byStore.values()].forEach((list, k) => {
    list.forEach((s, i) => {
      const r = stores[k]?.results[i];
      if (r) forecasts.set(s.key, r);
    });
  });
  return {
    forecasts,
    calibration: logOf((f) => f.calibration),
    intervals: logOf((f) => f.intervals),
    periodLevels: logOf((f) => f.periodLevels),
    selections,
  };
}
