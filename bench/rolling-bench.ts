import { Worker } from "node:worker_threads";
import { isoFromDay } from "../src/domain/calendar/days.js";
import { movingAverage, seasonalNaive, weekdayMean } from "../src/domain/forecast/baselines.js";
import {
  type ChainParts,
  chainParts,
  chainQuietFactor,
  finishStore,
  forecastStore,
  forecastStoreSeries,
  type StoreSelection,
} from "../src/domain/forecast/forecast-store.js";
import { classifyDemand } from "../src/domain/forecast/intermittent.js";
import type { StoreSeries } from "../src/domain/forecast/model-input.js";
import type { PipelineSpec } from "../src/domain/forecast/pipeline-spec.js";
import { demandQuantile } from "../src/domain/forecast/quantiles.js";
import { withShelfGaps } from "../src/domain/forecast/shelf-gaps.js";
import type { BenchPanel, BenchStore } from "./datasets/panel.js";
import { withLegacyKeys } from "./legacy-keys.js";
import { MANY_SERIES, POOLED_GBT } from "./references/pooled-gbt.js";
import type { ReferenceAnswer, ReferenceTask } from "./references/reference-worker.js";
import {
  type BenchWindow,
  batchView,
  type Half,
  HORIZON,
  knownDays,
  maskedStore,
  seriesSample,
  windowActuals,
} from "./rolling-origins.js";
import { addSeries, emptyModelWindow, type ModelWindow } from "./window-score.js";

/** The cheap references of the bar, run on every series and every window. */
export const CHEAP_REFERENCES = ["seasonal_naive", "weekday_mean_8w", "moving_average_28d"];
/** The slow ones, on the sample of series and the test windows (tuning too with --tuning-refs). */
export const SLOW_REFERENCES = [
  "augurs_mstl_ets",
  "augurs_prophet (log1p + events)",
  "augurs_prophet (raw + events)",
];
/**
 * Every reference of the full bar beyond the cheap ones: the slow ones, and SPEC §5's pooled
 * trees where the set has many series (fitted on all of them, scored on all of them too).
 */
export const FULL_BAR_REFERENCES = [...SLOW_REFERENCES, POOLED_GBT];

/**
 * The default pipeline's time on a night that reuses the store's selection (all but one of the
 * SELECTION_SERVES_DAYS nights a selection serves): each series refits what was chosen for it,
 * nothing is scored. Timed only, on the same store and origin as the selection it reuses.
 */
export const REFIT_NIGHT = "optiflow, refit night";

export interface WindowResult {
  origin: number;
  date: string;
  half: Half;
  models: Record<string, ModelWindow>;
}

export interface RollingResult {
  set: string;
  description: string;
  series: number;
  sampleSize: number;
  windows: WindowResult[];
  /** Fit and forecast time per series per window, by model (Optiflow: its whole pipeline). */
  msPerSeries: Record<string, number>;
  /** Fits of a slow reference that failed, replaced by the last 28 days' mean. */
  referenceFailures: Record<string, number>;
}

export interface RollingOptions {
  windows: readonly BenchWindow[];
  /** Optiflow's pipeline variants by name; the first is the one reported as "optiflow". */
  variants: ReadonlyMap<string, PipelineSpec>;
  references: ReferencePool | null;
  /** Whether the pool can run augurs (absent: only the pooled trees run). */
  augurs: boolean;
  sampleSize: number;
  slowOnTuning: boolean;
  log: (line: string) => void;
}

export async function runRollingBench(
  set: BenchPanel,
  options: RollingOptions,
): Promise<RollingResult> {
  const panel = withLegacyKeys(set);
  const ids = panel.stores.flatMap((s) => s.series.map((x) => x.id));
  const sample = seriesSample(ids, options.sampleSize);
  const results: WindowResult[] = [];
  const time = new Map<string, { ms: number; n: number }>();
  const failures = new Map<string, number>();
  const timed = (name: string, n: number, work: () => void) => {
    const started = performance.now();
    work();
    const t = time.get(name) ?? { ms: 0, n: 0 };
    t.ms += performance.now() - started;
    t.n += n;
    time.set(name, t);
  };
  // Variants are timed against the first, which would otherwise also pay the JIT's warm-up: one
  // window of it first, untimed and not scored.
  const first = options.windows[0];
  const [reported] = options.variants.values();
  if (options.variants.size > 1 && first && reported)
    for (const store of panel.stores) {
      const masked = maskedStore(store, first.origin);
      const flags = seriesFlags(store, masked, first.origin, sample);
      const view = batchView(masked, first.origin);
      const forecast = forecastOptiflow(view, reported);
      scoreOptiflow(emptyModelWindow(), store, view, first.origin, reported, flags, {
        forecast,
        chainQuiet: null,
      });
    }
  // The slow references start once Optiflow's timing is done: it runs alone on its thread.
  const slow: (() => Promise<void>)[] = [];
  const slowWindow = (window: BenchWindow) =>
    options.references !== null && (window.half === "test" || options.slowOnTuning);
  const modelsOf = new Map<number, Record<string, ModelWindow>>();
  const scoreReference = (
    name: string,
    run: ReferenceRun,
    stores: readonly { store: BenchStore; flags: ReadonlyMap<string, SeriesFlags> }[],
    window: BenchWindow,
    onlySample: boolean,
  ) => {
    failures.set(name, (failures.get(name) ?? 0) + run.failures);
    const t = time.get(name) ?? { ms: 0, n: 0 };
    t.ms += run.ms;
    t.n += run.forecasts.size;
    time.set(name, t);
    const models = modelsOf.get(window.origin) as Record<string, ModelWindow>;
    models[name] ??= emptyModelWindow();
    for (const { store, flags } of stores)
      for (const s of store.series) {
        const f = run.forecasts.get(s.id);
        const flag = flags.get(s.id);
        if (!f || !flag) continue;
        addSeries(models[name], f, windowActuals(s.input, window.origin), {
          ...flag,
          onlySample,
        });
      }
  };
  for (const window of options.windows) {
    const models: Record<string, ModelWindow> = {};
    modelsOf.set(window.origin, models);
    const model = (name: string) => {
      models[name] ??= emptyModelWindow();
      return models[name];
    };
    // Each store's masked copy (what is known at the origin) and flags, shared by every model.
    const maskedStores = panel.stores.map((store) => maskedStore(store, window.origin));
    // What the batch would hold at the origin: Optiflow's input (the references keep it all).
    // A panel's stores share its days, so the origin has the same index in every view.
    const views = maskedStores.map((masked) => batchView(masked, window.origin));
    const storeFlags: { store: BenchStore; flags: ReadonlyMap<string, SeriesFlags> }[] = [];
    // What a chain shares, per variant (the batch's forecastStores does the same).
    const chain = new Map<string, ChainParts>();
    for (const [variant, spec] of options.variants)
      timed(variant, 0, () =>
        chain.set(
          variant,
          // A selection made `selectedDaysBefore` earlier shares what the chain had then.
          chainParts(
            views.map((view) => storeSeries(view.store, view.origin, spec)),
            (views[0]?.origin ?? window.origin) - (spec.selectedDaysBefore ?? 0),
            HORIZON,
            spec,
          ),
        ),
      );
    // Every store's series first, then each store is finished, as step 2 does: a chain's quiet
    // factor needs all of them.
    const forecasts = new Map<string, ChainForecast>();
    for (const [variant, spec] of options.variants) {
      const stores: StoreForecast[] = [];
      for (const view of views)
        timed(variant, view.store.series.length, () =>
          stores.push(forecastOptiflow(view, spec, chain.get(variant))),
        );
      timed(variant, 0, () =>
        forecasts.set(variant, {
          stores,
          chainQuiet: chainQuietFactor(
            stores.flatMap((f) => f.results),
            spec,
          ),
        }),
      );
    }
    for (const [k, store] of panel.stores.entries()) {
      const masked = maskedStores[k] as BenchStore;
      const view = views[k] as BatchView;
      const flags = seriesFlags(store, masked, window.origin, sample);
      for (const [variant, spec] of options.variants) {
        const { stores, chainQuiet } = forecasts.get(variant) as ChainForecast;
        const forecast = stores[k] as StoreForecast;
        timed(variant, 0, () =>
          scoreOptiflow(model(variant), store, view, window.origin, spec, flags, {
            forecast,
            chainQuiet,
          }),
        );
        if (variant === "optiflow")
          timed(REFIT_NIGHT, masked.series.length, () =>
            refitNight(view, spec, forecast.selection),
          );
      }
      for (const name of CHEAP_REFERENCES)
        timed(name, masked.series.length, () =>
          scoreCheap(model(name), name, store, masked, window.origin, flags),
        );
      if (slowWindow(window) && options.augurs)
        for (const name of SLOW_REFERENCES)
          slow.push(() =>
            (options.references as ReferencePool)
              .run(name, [masked], window.origin, sample)
              .then((run) => scoreReference(name, run, [{ store, flags }], window, true)),
          );
      storeFlags.push({ store, flags });
    }
    if (slowWindow(window) && ids.length >= MANY_SERIES)
      slow.push(() =>
        (options.references as ReferencePool)
          .run(POOLED_GBT, maskedStores, window.origin, null)
          .then((run) => scoreReference(POOLED_GBT, run, storeFlags, window, false)),
      );
    results.push({
      origin: window.origin,
      date: isoFromDay(panel.firstDay + window.origin),
      half: window.half,
      models,
    });
  }
  await Promise.all(slow.map((start) => start()));
  options.log(`  ${panel.name}: ${results.length} windows scored`);
  return {
    set: panel.name,
    description: panel.description,
    series: ids.length,
    sampleSize: sample.size,
    windows: results,
    msPerSeries: Object.fromEntries([...time].map(([k, t]) => [k, t.ms / Math.max(1, t.n)])),
    referenceFailures: Object.fromEntries(failures),
  };
}

type BatchView = ReturnType<typeof batchView>;

interface SeriesFlags {
  intermittent: boolean;
  inSample: boolean;
}

/** Intermittent (SBC: ADI ≥ 1.32) as of the origin, from the year before it. */
function seriesFlags(
  store: BenchStore,
  masked: BenchStore,
  origin: number,
  sample: ReadonlySet<string>,
): Map<string, SeriesFlags> {
  const flags = new Map<string, SeriesFlags>();
  store.series.forEach((s, k) => {
    const history = (masked.series[k] as BenchStore["series"][number]).input.sales.subarray(
      Math.max(0, origin - 365),
      origin,
    );
    const { demandClass } = classifyDemand(history);
    flags.set(s.id, {
      intermittent: demandClass === "intermittent" || demandClass === "lumpy",
      inSample: sample.has(s.id),
    });
  });
  return flags;
}

type StoreForecast = ReturnType<typeof forecastStoreSeries>;

/** A variant's forecasts of every store of the chain, and the chain's quiet factor. */
interface ChainForecast {
  stores: StoreForecast[];
  chainQuiet: number | null;
}

/** Optiflow's forecasts of a store's series from the batch's view of it, not finished yet. */
function forecastOptiflow(view: BatchView, spec: PipelineSpec, chain: ChainParts = {}) {
  const plan = { origin: view.origin, horizon: HORIZON, ...chain };
  return forecastStoreSeries(storeSeries(view.store, view.origin, spec), plan, spec);
}

/**
 * The store finished (calibration with the chain's quiet factor, the band's levels), then scored
 * on the whole store's actuals.
 */
function scoreOptiflow(
  window: ModelWindow,
  store: BenchStore,
  view: BatchView,
  origin: number,
  spec: PipelineSpec,
  flags: ReadonlyMap<string, SeriesFlags>,
  { forecast, chainQuiet }: { forecast: StoreForecast; chainQuiet: number | null },
): void {
  const { results } = forecast;
  const plan = { origin: view.origin, horizon: HORIZON, chainQuiet };
  finishStore(storeSeries(view.store, view.origin, spec), results, plan, spec);
  store.series.forEach((s, k) => {
    const r = results[k];
    const flag = flags.get(s.id);
    if (!r || !flag) return;
    const actual = windowActuals(s.input, origin);
    addSeries(window, r.mean, actual, flag);
    for (let h = 0; h < HORIZON; h++) {
      const a = actual[h] as number;
      // A closed day sells nothing and is forecast nothing: it says nothing of the band.
      if (!Number.isFinite(a) || s.input.calendar.open[origin + h] === 0) continue;
      const m = r.mean[h] as number;
      window.known++;
      const { low, high } = r.interval;
      if (a >= demandQuantile(m, r.phi, low) && a <= demandQuantile(m, r.phi, high))
        window.covered++;
    }
  });
}

/** The batch's work on a night whose store selection still serves (forecasts not scored). */
function refitNight(view: BatchView, spec: PipelineSpec, selection: StoreSelection): void {
  const plan = { origin: view.origin, horizon: HORIZON };
  forecastStore(storeSeries(view.store, view.origin, spec), plan, spec, selection);
}

function storeSeries(masked: BenchStore, origin: number, spec: PipelineSpec): StoreSeries[] {
  const series = masked.series.map((s) => ({
    key: s.legacyKey ?? s.id,
    input: s.input,
    knownDays: knownDays(s.input, origin),
    categoryId: s.categoryId,
  }));
  return withShelfGaps(series, origin, spec.shelfGaps);
}

const CHEAP = {
  seasonal_naive: seasonalNaive,
  weekday_mean_8w: weekdayMean,
  moving_average_28d: movingAverage,
} as const;

function scoreCheap(
  window: ModelWindow,
  name: string,
  store: BenchStore,
  masked: BenchStore,
  origin: number,
  flags: ReadonlyMap<string, SeriesFlags>,
): void {
  const forecaster = CHEAP[name as keyof typeof CHEAP];
  store.series.forEach((s, k) => {
    const flag = flags.get(s.id);
    if (!flag) return;
    const input = (masked.series[k] as BenchStore["series"][number]).input;
    addSeries(window, forecaster(input, origin, HORIZON), windowActuals(s.input, origin), flag);
  });
}

interface ReferenceRun {
  forecasts: Map<string, Float64Array>;
  ms: number;
  failures: number;
}

/** Two worker threads for the slow references, fed by a queue of (model, store, window) tasks. */
export class ReferencePool {
  private readonly workers: Worker[];
  private readonly idle: Worker[] = [];
  private readonly queue: {
    task: ReferenceTask;
    resolve: (a: ReferenceRun) => void;
    reject: (e: unknown) => void;
  }[] = [];

  constructor(threads: number) {
    const url = new URL("./references/reference-worker.js", import.meta.url);
    this.workers = Array.from({ length: threads }, () => new Worker(url));
    this.idle.push(...this.workers);
  }

  /** One reference on these stores' series (only those of the sample, unless it is null). */
  run(
    model: string,
    stores: readonly BenchStore[],
    origin: number,
    sample: ReadonlySet<string> | null,
  ): Promise<ReferenceRun> {
    const task: ReferenceTask = {
      model,
      stores: stores.map((store) => ({
        calendar: store.calendar,
        series: store.series
          .filter((s) => !sample || sample.has(s.id))
          .map((s) => ({ id: s.id, sales: s.input.sales, discount: s.input.discount })),
      })),
      origin,
      horizon: HORIZON,
    };
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as (typeof this.queue)[number];
      const onError = (error: unknown) => job.reject(error);
      worker.once("error", onError);
      worker.once("message", (answer: ReferenceAnswer) => {
        worker.off("error", onError);
        job.resolve({
          forecasts: new Map(answer.forecasts),
          ms: answer.ms,
          failures: answer.failures,
        });
        this.idle.push(worker);
        this.next();
      });
      worker.postMessage(job.task);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
