import { forecastPool } from "../batch/forecast-in-workers.js";
import { forecastStores } from "../batch/forecast-stores.js";
import type { LoadedSeries } from "../batch/load-series.js";
import type { SalesHistory } from "../batch/read-history-in-workers.js";
import { loadSeries, readSeriesCatalog, type SeriesCatalog } from "../batch/read-series.js";
import { SharedArrays } from "../concurrency/shared-arrays.js";
import type { LegacyArticle, LegacyStore } from "../data/legacy/read-catalog.js";
import type { Db } from "../data/open.js";
import { isoFromDay } from "../domain/calendar/days.js";
import type { Country } from "../domain/calendar/store-events.js";
import type { SeriesResult, StoreSelection } from "../domain/forecast/forecast-store.js";
import type { PeriodLevels } from "../domain/forecast/level-uncertainty.js";
import { REPLAY_PIPELINE, selectionServes } from "../domain/forecast/pipeline-spec.js";
import type { ReplayForecast } from "../domain/simulation/replay-series.js";
import {
  HELD_OUT_DAYS,
  learnReplayLevels,
  type MadeAt,
  type MadeForecast,
  replayLevelOf,
} from "./replay-period-levels.js";

/**
 * The forecasts the batch would have made on each weekly origin of a past period, by the very
 * pipeline the batch runs (forecastStores, on worker threads; REPLAY_PIPELINE: the batch's means
 * and φ, without the held-out window's forecast, so the period levels are learned on the replay's
 * own forecasts: replay-period-levels.ts): at origin o, the series are built
 * as the batch builds them on the night of o, from the sales of the history window before o
 * only. The history is read once for the whole period; each origin sees a view of it that ends
 * the day before the origin, so that no sale of that day or later can reach a forecast. A store's
 * model selection serves the later origins the batch's would serve (selectionServes): those are
 * refitted from it, as the batch's nights in between are, and the others select afresh.
 */
export interface AsOfSettings {
  country: Country;
  historyDays: number;
  /** Days forecast at each origin: the week until the next one, plus what an order covers. */
  horizonDays: number;
}

export interface AsOfResult {
  /** Per origin, each series' forecast (means from the origin, overdispersion). */
  byOrigin: Map<string, ReplayForecast>[];
  /** Per origin, the stores that chose their models there (the others were refitted). */
  selectedAt: number[][];
  stores: LegacyStore[];
  articles: Map<number, LegacyArticle>;
}

/** The history as the night of `origin` would have read it: views that end before it. */
export function historyBefore(
  history: SalesHistory,
  historyFirstDay: number,
  origin: number,
  historyDays: number,
): SalesHistory {
  const offset = origin - historyDays - historyFirstDay;
  const firstIso = isoFromDay(origin - historyDays);
  const endIso = isoFromDay(origin);
  const series = new Map<string, Float64Array>();
  for (const [key, values] of history.sales.series)
    series.set(key, values.subarray(offset, offset + historyDays));
  const storeDays = new Map<number, Set<string>>();
  for (const [store, dates] of history.sales.storeDays)
    storeDays.set(store, new Set([...dates].filter((d) => d >= firstIso && d < endIso)));
  const stockOuts = new Map<string, number[]>();
  for (const [key, days] of history.stockOuts)
    stockOuts.set(
      key,
      days.filter((d) => d >= origin - historyDays && d < origin),
    );
  return { sales: { series, storeDays }, stockOuts };
}

export async function asOfForecasts(
  db: Db,
  history: SalesHistory,
  historyFirstDay: number,
  origins: readonly number[],
  settings: AsOfSettings,
  storeId: number | null,
  /** `origin`: the index of the origin forecast, the warm-up's first when there is one. */
  onProgress: (origin: number, done: number, total: number) => void,
  /** The tables every origin's series are built from besides the sales: read once. */
  catalog: SeriesCatalog = readSeriesCatalog(db),
  /**
   * An origin 28 days before the first whose forecasts are made only for the first origins'
   * period levels (not returned): without it, the origins with no forecast of their own 28 days
   * earlier take the default level. Null: none (the history must reach back to it).
   */
  warmUp: number | null = null,
): Promise<AsOfResult> {
  const result: AsOfResult = { byOrigin: [], selectedAt: [], stores: [], articles: new Map() };
  // One set of threads for every origin: new ones compiled the engine again at each (ChunkPool).
  const pool = forecastPool();
  // One set of blocks for every origin's inputs: an origin's are dead once its forecasts are
  // back (the results are arrays of their own), and the threads would otherwise hold on to
  // blocks of earlier origins until their next full garbage collection.
  const sources = { db, history, historyFirstDay, settings, catalog, arrays: new SharedArrays() };
  const carried: Carried = { made: new Map(), madeAt: [], lastLevels: new Map() };
  const all = warmUp === null ? origins : [warmUp, ...origins];
  try {
    for (const [n, origin] of all.entries()) {
      const at = await forecastOrigin(sources, carried, { pool, storeId }, origin, (done, total) =>
        onProgress(n, done, total),
      );
      result.stores = at.stores;
      result.articles = at.articles;
      if (warmUp !== null && n === 0) continue;
      result.selectedAt.push(at.selected);
      result.byOrigin.push(at.kept);
    }
  } finally {
    await pool.close();
  }
  return result;
}

/** Where every origin's series are built from. */
interface Sources {
  db: Db;
  history: SalesHistory;
  historyFirstDay: number;
  settings: AsOfSettings;
  catalog: SeriesCatalog;
  arrays: SharedArrays;
}

/** What one origin leaves to the next ones. */
interface Carried {
  /** Per store id, its latest selection and the origin that made it. */
  made: Map<number, { on: number; selection: StoreSelection }>;
  /** Each origin's forecasts, for the period levels of the origin 28 days later. */
  madeAt: MadeAt[];
  /** The levels last learned: an origin with no forecast of its own 28 days earlier takes them. */
  lastLevels: Map<number, PeriodLevels>;
}

/** The forecasts of one origin, as its night would have made them, and what it selected. */
async function forecastOrigin(
  sources: Sources,
  carried: Carried,
  run: { pool: ReturnType<typeof forecastPool>; storeId: number | null },
  origin: number,
  onProgress: (done: number, total: number) => void,
) {
  sources.arrays.recycle();
  const at = seriesAt(sources, origin);
  const loaded = at.loaded.filter((s) => run.storeId === null || s.store.id === run.storeId);
  // A selection that no longer serves is let go before this origin's is made, not held beside
  // it (a store's is megabytes: every series' choice and what its windows measured).
  const { made, madeAt } = carried;
  for (const [store, m] of made) if (!selectionServes(m.on, origin)) made.delete(store);
  const serving = new Map([...made].map(([store, m]) => [store, m.selection]));
  const { forecasts, selections } = await forecastStores(
    loaded,
    sources.settings.historyDays,
    sources.settings.horizonDays,
    REPLAY_PIPELINE,
    onProgress,
    { pool: run.pool, earlier: serving },
  );
  const selected = recordSelections(made, selections, serving, origin);
  const earlier = madeAt.find((m) => m.origin === origin - HELD_OUT_DAYS);
  if (earlier)
    carried.lastLevels = learnReplayLevels(earlier, sources.history, sources.historyFirstDay);
  const { kept, madeNow } = keepForecasts(forecasts, loaded, carried.lastLevels);
  // A later origin learns from the one 28 days before it, never from an older one.
  while ((madeAt[0]?.origin ?? origin) <= origin - HELD_OUT_DAYS) madeAt.shift();
  madeAt.push({ origin, forecasts: madeNow });
  return { kept, selected, stores: at.stores, articles: at.articles };
}

/** The series as the night of `origin` builds them, from the history before it only. */
function seriesAt(sources: Sources, origin: number) {
  const { db, history, historyFirstDay, settings, catalog, arrays } = sources;
  const ctx = {
    db,
    today: origin,
    todayIso: isoFromDay(origin),
    settings,
    stores: [] as LegacyStore[],
    articles: new Map<number, LegacyArticle>(),
    series: [] as LoadedSeries[],
  };
  const view = historyBefore(history, historyFirstDay, origin, settings.historyDays);
  const loaded = loadSeries(ctx, view, false, arrays, catalog);
  return { loaded, stores: ctx.stores, articles: ctx.articles };
}

/**
 * Keeps each store's selection with the origin that made it (a refitted one keeps its maker's),
 * and returns the stores that selected afresh at `origin`.
 */
function recordSelections(
  made: Map<number, { on: number; selection: StoreSelection }>,
  selections: ReadonlyMap<number, StoreSelection>,
  serving: ReadonlyMap<number, StoreSelection>,
  origin: number,
): number[] {
  const selected: number[] = [];
  for (const [store, selection] of selections) {
    const refitted = serving.has(store);
    if (!refitted) selected.push(store);
    made.set(store, { on: refitted ? (made.get(store)?.on ?? origin) : origin, selection });
  }
  return selected;
}

/** An origin's forecasts as the replay keeps them, and as a later origin learns from them. */
function keepForecasts(
  forecasts: ReadonlyMap<string, SeriesResult>,
  loaded: readonly LoadedSeries[],
  levels: ReadonlyMap<number, PeriodLevels>,
): { kept: Map<string, ReplayForecast>; madeNow: Map<string, MadeForecast> } {
  const kept = new Map<string, ReplayForecast>();
  const madeNow = new Map<string, MadeForecast>();
  const storeOf = new Map(loaded.map((s) => [s.key, s.store.id]));
  for (const [key, f] of forecasts) {
    const storeId = storeOf.get(key) as number;
    // Float32 is plenty for a daily mean, and halves what 13 origins × 10,000 series hold.
    const mean = Float32Array.from(f.mean);
    const level = replayLevelOf(levels, storeId, f.demandClass);
    kept.set(key, { mean, phi: f.phi, level });
    madeNow.set(key, { mean, phi: f.phi, storeId, demandClass: f.demandClass });
  }
  return { kept, madeNow };
}
