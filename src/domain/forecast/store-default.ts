import { candidatesFor } from "./candidates.js";
import type { DemandClass } from "./intermittent.js";
import { type StoreSeries, teachesStoreModels } from "./model-input.js";
import { DEFAULT_PIPELINE, type PipelineSpec } from "./pipeline-spec.js";
import type { PooledFit } from "./pooled-model.js";
import {
  DEFAULT_MODEL,
  type DefaultModels,
  ensembleOf,
  PROPHET_LIKE_DEFAULT,
  type ScoredSeries,
  scoreCandidates,
  type YearAgoWindow,
  yearAgoSums,
  yearAgoWindow,
} from "./select-model.js";
import { hashUnit, keyHash } from "./stable-sample.js";
import { scoreWindows } from "./window-scores.js";

/**
 * The model a store's (or a chain's) series keep unless another wins their own windows clearly
 * (select-model.ts, chooseForecast): chosen once on a sample of the series, where hundreds of
 * windows pooled say more than any one series' three.
 */

/** Series a store's default model is chosen on: enough to pool hundreds of windows. */
const DEFAULT_MODEL_SAMPLE = 150;
/** The default model's sample draws apart from the pooled model's rows (seed 0). */
export const DEFAULT_SAMPLE_SEED = 1;
/** Fewer series than this (a store of a few articles) leave the default to the Prophet-like model. */
const DEFAULT_MODEL_MIN_SERIES = 20;

/** A store's default model, and the candidates' forecasts of the series it was chosen on. */
export interface StoreDefault {
  models: DefaultModels;
  /** By series key: reused by forecastOneSeries instead of forecasting them a second time. */
  scored: Map<string, ScoredSeries>;
}

/**
 * The store's default model (SPEC §5: no family wins everywhere): the candidate whose error,
 * pooled over the selection windows of a sample of the store's series, is lowest. A series then
 * leaves it only for a candidate that beats it clearly on its own windows.
 */
export function storeDefaultModel(
  series: readonly StoreSeries[],
  origin: number,
  horizon: number,
  spec: PipelineSpec = DEFAULT_PIPELINE,
  pooled: PooledFit | null = null,
): StoreDefault {
  const scored = new Map<string, ScoredSeries>();
  const prophetLike = { models: PROPHET_LIKE_DEFAULT, scored };
  if (!spec.selection.storeDefault) return prophetLike;
  const own = series.filter((s) => teachesStoreModels(s, origin, spec.neverSoldTeaches));
  if (own.length < DEFAULT_MODEL_MIN_SERIES) return prophetLike;
  const size = spec.selection.defaultSample ?? DEFAULT_MODEL_SAMPLE;
  const seed = spec.selection.defaultSampleSeed ?? DEFAULT_SAMPLE_SEED;
  const sampled = spec.samplesByPosition ? everyNth(own, size) : drawnByKey(own, size, seed);
  const candidates = candidatesFor(spec, pooled);
  const score = spec.selection.defaultScore ?? "pooled";
  const store = new ErrorTotals(score);
  const yearAgo = new Map<string, YearAgoWindow>();
  const byClass = new Map<DemandClass, ErrorTotals>();
  for (const s of sampled) {
    // The whole horizon, so that the series' own forecast is this one (the windows' scores do
    // not depend on it).
    const f = scoreCandidates(s.input, origin, horizon, spec.selection, undefined, candidates, {
      yearAgo: spec.selection.yearAgoDefault,
    });
    scored.set(s.key, f);
    const window = yearAgoWindow(s.input, f);
    if (window) yearAgo.set(s.key, window);
    const sums = window && yearAgoSums(window);
    store.add(f, sums);
    if (!spec.selection.classDefaults) continue;
    const ofClass = byClass.get(f.demandClass) ?? new ErrorTotals(score);
    ofClass.add(f, sums);
    byClass.set(f.demandClass, ofClass);
  }
  const best = store.best();
  const models: DefaultModels = {
    store: spec.selection.defaultEnsemble
      ? ensembleDefault(best, store.runnerUp(), scored, yearAgo)
      : best,
    byClass: {},
  };
  for (const [demandClass, totals] of byClass)
    if (totals.series >= DEFAULT_MODEL_MIN_SERIES) models.byClass[demandClass] = totals.best();
  return { models, scored };
}

/**
 * About `size` of the series, each in or out by its own key (stable-sample.ts): listing or
 * delisting an article leaves the others where they were.
 */
function drawnByKey(own: readonly StoreSeries[], size: number, seed: number): StoreSeries[] {
  const share = size / own.length;
  return share >= 1 ? [...own] : own.filter((s) => hashUnit(keyHash(s.key), 0, seed) < share);
}

/** Every n-th series of the list, `size` of them (the sample before 2026-12-03). */
function everyNth(own: readonly StoreSeries[], size: number): StoreSeries[] {
  const step = Math.max(1, own.length / size);
  const out: StoreSeries[] = [];
  for (let i = 0; i < own.length; i += step) out.push(own[Math.floor(i)] as StoreSeries);
  return out;
}

/**
 * The average of the two best candidates when it scores better than the best alone over the
 * windows the best was chosen on (the sampled series' selection windows, and their year-ago
 * window where the spec adds it); else the best.
 */
export function ensembleDefault(
  best: string,
  runnerUp: string | null,
  scored: ReadonlyMap<string, ScoredSeries>,
  yearAgo: ReadonlyMap<string, YearAgoWindow>,
): string {
  if (runnerUp === null) return best;
  let alone = 0;
  let together = 0;
  for (const [key, f] of scored) {
    const a = f.scored.find((s) => s.name === best);
    const b = f.scored.find((s) => s.name === runnerUp);
    if (!a || !b) continue;
    alone += a.error;
    together += ensembleOf([a, b], f.actualWeeks).error;
    const window = yearAgo.get(key);
    const ya = window?.daily.get(best);
    const yb = window?.daily.get(runnerUp);
    if (!window || !ya || !yb) continue;
    alone += scoreWindows([ya], window.actualWeeks).error;
    together += scoreWindows(
      [ya.map((v, h) => (v + (yb[h] as number)) / 2)],
      window.actualWeeks,
    ).error;
  }
  return together < alone ? `ensemble(${best}+${runnerUp})` : best;
}

/**
 * Candidates' errors over series' selection windows: the lowest pooled WAPE, or (`relative`) the
 * lowest geometric mean over series of each one's error relative to the 28-day mean's.
 */
class ErrorTotals {
  series = 0;
  private readonly totals = new Map<string, { error: number; total: number }>();
  private readonly logRatios = new Map<string, { sum: number; n: number }>();

  constructor(private readonly score: "pooled" | "relative") {}

  /** One series' sums, and optionally more windows' (a candidate without them keeps its own). */
  add(f: ScoredSeries, more: Record<string, { error: number; total: number }> | null = null): void {
    this.series++;
    const all = Object.entries(f.scoreSums).map(([name, own]): [string, typeof own] => {
      const extra = more?.[name];
      return [
        name,
        extra ? { error: own.error + extra.error, total: own.total + extra.total } : own,
      ];
    });
    const reference = all.find(([name]) => name === RELATIVE_TO)?.[1].error ?? 0;
    for (const [name, sums] of all) {
      const t = this.totals.get(name) ?? { error: 0, total: 0 };
      t.error += sums.error;
      t.total += sums.total;
      this.totals.set(name, t);
      if (!(reference > 0 && sums.total > 0)) continue;
      // Clipped: one series a candidate forecast perfectly, or wildly, says little of the rest.
      const ratio = Math.min(10, Math.max(0.1, sums.error / reference));
      const r = this.logRatios.get(name) ?? { sum: 0, n: 0 };
      r.sum += Math.log(ratio);
      r.n++;
      this.logRatios.set(name, r);
    }
  }

  best(): string {
    let best = DEFAULT_MODEL;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const [name, score] of this.scores()) {
      if (score < bestScore) {
        bestScore = score;
        best = name;
      }
    }
    return best;
  }

  /** The second best, null with fewer than two candidates. */
  runnerUp(): string | null {
    const best = this.best();
    let second: string | null = null;
    let secondScore = Number.POSITIVE_INFINITY;
    for (const [name, score] of this.scores()) {
      if (name !== best && score < secondScore) {
        secondScore = score;
        second = name;
      }
    }
    return second;
  }

  private scores(): [string, number][] {
    return this.score === "pooled"
      ? [...this.totals].map(([name, t]) => [name, t.total > 0 ? t.error / t.total : Infinity])
      : [...this.logRatios].map(([name, r]) => [name, r.n > 0 ? r.sum / r.n : Infinity]);
  }
}

const RELATIVE_TO = "moving_average_28d";
