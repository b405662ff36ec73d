import type { SalesHistory } from "../batch/read-history-in-workers.js";
import type { DemandClass } from "../domain/forecast/intermittent.js";
import {
  chainPeriodLevels,
  type LevelSample,
  learnPeriodLevels,
  type PeriodLevel,
  type PeriodLevels,
  periodLevelFor,
} from "../domain/forecast/level-uncertainty.js";
import { DEFAULT_PIPELINE, WINDOW_DAYS } from "../domain/forecast/pipeline-spec.js";

/**
 * The period levels of a replayed origin (level-uncertainty.ts). The batch learns them on the
 * forecast of its held-out window, the 28 days before its night; the replay does not make that
 * forecast (REPLAY_PIPELINE, for its cost), so it learns them on its own forecast made 28 days
 * before the origin, against what sold from then to the origin: a window no later sale reaches.
 * A store too small for a level of its own takes its chain's; an origin without such an earlier
 * one, the default level. The window is the batch's held-out one, WINDOW_DAYS long.
 */
export const HELD_OUT_DAYS = WINDOW_DAYS;

/** What the replay keeps of a series' forecast at an origin, to learn from it 28 days later. */
export interface MadeForecast {
  mean: ArrayLike<number>;
  phi: number;
  storeId: number;
  demandClass: DemandClass;
}

export interface MadeAt {
  origin: number;
  forecasts: ReadonlyMap<string, MadeForecast>;
}

/** Per store, the levels learned on the forecasts `made`, against the history's sales. */
export function learnReplayLevels(
  made: MadeAt,
  history: SalesHistory,
  historyFirstDay: number,
): Map<number, PeriodLevels> {
  const samples = new Map<number, LevelSample[]>();
  for (const [key, f] of made.forecasts) {
    const sales = history.sales.series.get(key);
    const days = Math.min(HELD_OUT_DAYS, f.mean.length);
    const start = made.origin - historyFirstDay;
    const actual = new Float64Array(days);
    for (let d = 0; d < days; d++) actual[d] = sales ? (sales[start + d] ?? 0) : 0;
    // A stock-out day's sales say less than its demand: left out, as the batch leaves it.
    for (const day of history.stockOuts.get(key) ?? []) {
      const d = day - made.origin;
      if (d >= 0 && d < days) actual[d] = Number.NaN;
    }
    const list = samples.get(f.storeId) ?? [];
    list.push({ demandClass: f.demandClass, forecast: f.mean, phi: f.phi, actual });
    samples.set(f.storeId, list);
  }
  const spec = DEFAULT_PIPELINE.periodLevel;
  const levels = new Map<number, PeriodLevels>();
  if (!spec) return levels;
  for (const [store, list] of samples) levels.set(store, learnPeriodLevels(list, spec));
  // A store too small for its own takes the chain's, as step 2's finishChain gives it.
  const stores = [...samples.keys()];
  const hasOwn = stores.map((store) => levels.get(store)?.has("store") ?? false);
  const chain = chainPeriodLevels([...samples.values()], hasOwn, spec);
  if (chain) for (const [k, store] of stores.entries()) if (!hasOwn[k]) levels.set(store, chain);
  return levels;
}

/** A series' level at a replayed origin: its store's class's, else the default. */
export function replayLevelOf(
  levels: ReadonlyMap<number, PeriodLevels>,
  storeId: number,
  demandClass: DemandClass,
): PeriodLevel {
  return periodLevelFor(levels.get(storeId) ?? new Map(), demandClass);
}
