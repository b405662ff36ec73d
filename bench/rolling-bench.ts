import { Worker } from "node:worker_threads";
import { isoFromDay } from "../src/domain/calendar/days.js";
import { movingAverage, seasonalNaive, weekdayMean } from "../src/domain/forecast/baselines.js";
import {
  type ChainParts,
  chainParts,
  chainQuietFactor,
  finishChain,
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
import { PROPHET_CONFIGS } from "./references/augurs-models.js";
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
import { checkPromises } from "./service-promise.js";
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
  const run = new RollingRun(withLegacyKeys(set), options);
  await options.references?.ready();
  run.warmUp();
  for (const window of options.windows) run.scoreWindow(window);
  // The slow references start once Optiflow's timing is done: it runs alone on its thread.
  await run.slowReferences();
  options.log(`  ${set.name}: ${options.windows.length} windows scored`);
  return run.result();
}

type StoreFlags = { store: BenchStore; flags: ReadonlyMap<string, SeriesFlags> };

/** One set's rolling bench: every window's scores, each model's time, the slow ones queued. */
class RollingRun {
  private readonly ids: string[];
  private readonly sample: Set<string>;
  private readonly results: WindowResult[] = [];
  private readonly time = new Map<string, { ms: number; n: number }>();
  private readonly failures = new Map<string, number>();
  private readonly slow: (() => Promise<void>)[] = [];

  constructor(
    private readonly panel: BenchPanel,
    private readonly options: RollingOptions,
  ) {
    this.ids = panel.stores.flatMap((s) => s.series.map((x) => x.id));
    this.sample = seriesSample(this.ids, options.sampleSize);
  }

  /**
   * Variants are timed against the first, which would otherwise also pay the JIT's warm-up: one
   * window of it first, untimed and not scored.
   */
  warmUp(): void {
    const first = this.options.windows[0];
    const [reported] = this.options.variants.values();
    if (this.options.variants.size <= 1 || !first || !reported) return;
    for (const store of this.panel.stores) {
      const masked = maskedStore(store, first.origin);
      const flags = seriesFlags(store, masked, first.origin, this.sample);
      const view = batchView(masked, first.origin);
      const forecast = forecastOptiflow(view, reported);
      finishOptiflow([view], reported, { stores: [forecast], chainQuiet: null });
      scoreOptiflow(emptyModelWindow(), store, first.origin, flags, forecast);
    }
  }

  scoreWindow(window: BenchWindow): void {
    const models: Record<string, ModelWindow> = {};
    // Each store's masked copy (what is known at the origin) and flags, shared by every model.
    const maskedStores = this.panel.stores.map((store) => maskedStore(store, window.origin));
    // What the batch would hold at the origin: Optiflow's input (the references keep it all).
    // A panel's stores share its days, so the origin has the same index in every view.
    const views = maskedStores.map((masked) => batchView(masked, window.origin));
    const forecasts = this.forecastChain(views, window);
    const storeFlags = this.panel.stores.map((store, k) =>
      this.scoreStore(window, models, store, {
        masked: maskedStores[k] as BenchStore,
        view: views[k] as BatchView,
        forecasts,
        k,
      }),
    );
    if (this.slowWindow(window) && this.ids.length >= MANY_SERIES)
      this.slow.push(() =>
        (this.options.references as ReferencePool)
          .run(POOLED_GBT, maskedStores, window.origin, null)
          .then((run) => this.scoreReference(POOLED_GBT, run, storeFlags, models, window, false)),
      );
    this.results.push({
      origin: window.origin,
      date: isoFromDay(this.panel.firstDay + window.origin),
      half: window.half,
      models,
    });
  }

  async slowReferences(): Promise<void> {
    await Promise.all(this.slow.map((start) => start()));
  }

  result(): RollingResult {
    return {
      set: this.panel.name,
      description: this.panel.description,
      series: this.ids.length,
      sampleSize: this.sample.size,
      windows: this.results,
      msPerSeries: Object.fromEntries([...this.time].map(([k, t]) => [k, t.ms / Math.max(1, t.n)])),
      referenceFailures: Object.fromEntries(this.failures),
    };
  }

  /**
   * Every variant's forecasts of every store, not finished yet: what a chain shares first, then
   * every store's series, then the chain's quiet factor, as step 2 does.
   */
  private forecastChain(views: readonly BatchView[], window: BenchWindow) {
    const chain = new Map<string, ChainParts>();
    for (const [variant, spec] of this.options.variants)
      this.timed(variant, 0, () =>
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
    const forecasts = new Map<string, ChainForecast>();
    for (const [variant, spec] of this.options.variants) {
      const stores: StoreForecast[] = [];
      for (const view of views)
        this.timed(variant, view.store.series.length, () =>
          stores.push(forecastOptiflow(view, spec, chain.get(variant))),
        );
      this.timed(variant, 0, () => {
        const chainQuiet = chainQuietFactor(
          stores.flatMap((f) => f.results),
          spec,
        );
        forecasts.set(variant, { stores, chainQuiet });
        finishOptiflow(views, spec, { stores, chainQuiet });
      });
    }
    return forecasts;
  }

  /** A store's window: each variant finished and scored, the cheap references, the slow queued. */
  private scoreStore(
    window: BenchWindow,
    models: Record<string, ModelWindow>,
    store: BenchStore,
    at: { masked: BenchStore; view: BatchView; forecasts: Map<string, ChainForecast>; k: number },
  ): StoreFlags {
    const { masked, view, k } = at;
    const model = (name: string) => {
      models[name] ??= emptyModelWindow();
      return models[name];
    };
    const flags = seriesFlags(store, masked, window.origin, this.sample);
    for (const [variant, spec] of this.options.variants) {
      const { stores } = at.forecasts.get(variant) as ChainForecast;
      const forecast = stores[k] as StoreForecast;
      this.timed(variant, 0, () =>
        scoreOptiflow(model(variant), store, window.origin, flags, forecast),
      );
      if (variant === "optiflow")
        this.timed(REFIT_NIGHT, masked.series.length, () =>
          refitNight(view, spec, forecast.selection),
        );
    }
    for (const name of CHEAP_REFERENCES)
      this.timed(name, masked.series.length, () =>
        scoreCheap(model(name), name, store, masked, window.origin, flags),
      );
    if (this.slowWindow(window) && this.options.augurs)
      for (const name of SLOW_REFERENCES)
        this.slow.push(() =>
          (this.options.references as ReferencePool)
            .run(name, [masked], window.origin, this.sample)
            .then((run) =>
              this.scoreReference(name, run, [{ store, flags }], models, window, true),
            ),
        );
    return { store, flags };
  }

  private scoreReference(
    name: string,
    run: ReferenceRun,
    stores: readonly StoreFlags[],
    models: Record<string, ModelWindow>,
    window: BenchWindow,
    onlySample: boolean,
  ): void {
    this.failures.set(name, (this.failures.get(name) ?? 0) + run.failures);
    this.addTime(name, run.ms, run.forecasts.size);
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
  }

  private slowWindow(window: BenchWindow): boolean {
    return (
      this.options.references !== null && (window.half === "test" || this.options.slowOnTuning)
    );
  }

  private timed(name: string, n: number, work: () => void): void {
    const started = performance.now();
    work();
    this.addTime(name, performance.now() - started, n);
  }

  private addTime(name: string, ms: number, n: number): void {
    const t = this.time.get(name) ?? { ms: 0, n: 0 };
    t.ms += ms;
    t.n += n;
    this.time.set(name, t);
  }
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
 * The chain's stores finished as step 2 finishes them (calibration with the chain's quiet factor,
 * the band's levels, the period levels, a small store's from the chain's), in place.
 */
function finishOptiflow(views: readonly BatchView[], spec: PipelineSpec, chain: ChainForecast) {
  finishChain(
    views.map((view, k) => ({
      series: storeSeries(view.store, view.origin, spec),
      results: chain.stores[k]?.results ?? [],
      plan: { origin: view.origin, horizon: HORIZON, chainQuiet: chain.chainQuiet },
    })),
    spec,
  );
}

/** A finished store's forecasts scored on the whole store's actuals. */
function scoreOptiflow(
  window: ModelWindow,
  store: BenchStore,
  origin: number,
  flags: ReadonlyMap<string, SeriesFlags>,
  { results }: StoreForecast,
): void {
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
    const open = (h: number) => s.input.calendar.open[origin + h] !== 0;
    const served = { forecast: r.mean, phi: r.phi, level: r.periodLevel };
    checkPromises(window.promises, served, actual, open);
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

interface ReferenceJob {
  task: ReferenceTask;
  resolve: (a: ReferenceRun) => void;
  reject: (e: unknown) => void;
}

/**
 * Worker threads for the slow references, fed (model, store, window) tasks. augurs Prophet's fit
 * with events depends on the fits its thread ran before (one series fitted six times in a row
 * gave up to six different forecasts): handed to whichever worker was free, a window's error
 * moved by up to 3.4% from one run to the next. So each Prophet configuration has a worker of
 * its own, which runs the same sequence of fits in every run; the other references (whose
 * results depend on nothing but their task) go to whichever worker is free first.
 */
export class ReferencePool {
  private readonly workers: Worker[];
  /** Per worker, the Prophet tasks only it may run. */
  private readonly own: ReferenceJob[][];
  private readonly shared: ReferenceJob[] = [];
  private readonly homes = new Map<string, number>();
  private readonly busy: boolean[];
  /** Resolved once every worker has loaded its models (augurs' WebAssembly compiled). */
  private readonly loaded: Promise<void>;

  constructor(threads: number) {
    const url = new URL("./references/reference-worker.js", import.meta.url);
    this.workers = Array.from({ length: threads }, () => new Worker(url));
    this.own = this.workers.map(() => []);
    // Busy until loaded: a worker's first message says it is ready, not an answer.
    this.busy = this.workers.map(() => true);
    this.loaded = Promise.all(this.workers.map((worker, k) => this.load(worker, k))).then(
      () => undefined,
    );
    // A failed load is reported where `ready()` is awaited, not as an unhandled rejection.
    this.loaded.catch(() => undefined);
  }

  /**
   * Waits for the workers to load. Optiflow's timing must wait for it too: loading compiles
   * augurs' WebAssembly on both threads, and on two cores that slowed the main thread's first
   * seconds (a set's Optiflow pipeline, timed then, by up to a third).
   */
  ready(): Promise<void> {
    return this.loaded;
  }

  private load(worker: Worker, k: number): Promise<void> {
    return new Promise((resolve, reject) => {
      worker.once("error", reject);
      worker.once("message", () => {
        worker.off("error", reject);
        this.busy[k] = false;
        this.next(k);
        resolve();
      });
    });
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
    const home = this.homeOf(model);
    return new Promise((resolve, reject) => {
      const job = { task, resolve, reject };
      if (home === null) this.shared.push(job);
      else this.own[home]?.push(job);
      for (let k = 0; k < this.workers.length; k++) this.next(k);
    });
  }

  /** A Prophet configuration's worker: the first one asked for gets worker 0, the next 1, ... */
  private homeOf(model: string): number | null {
    if (!PROPHET_CONFIGS.some((c) => c.name === model)) return null;
    if (!this.homes.has(model)) this.homes.set(model, this.homes.size % this.workers.length);
    return this.homes.get(model) as number;
  }

  /** The worker's next task, when it is free: its own Prophet tasks first, then any other. */
  private next(k: number): void {
    if (this.busy[k]) return;
    const job = this.own[k]?.shift() ?? this.shared.shift();
    if (!job) return;
    this.busy[k] = true;
    const worker = this.workers[k] as Worker;
    const onError = (error: unknown) => job.reject(error);
    worker.once("error", onError);
    worker.once("message", (answer: ReferenceAnswer) => {
      worker.off("error", onError);
      job.resolve({
        forecasts: new Map(answer.forecasts),
        ms: answer.ms,
        failures: answer.failures,
      });
      this.busy[k] = false;
      this.next(k);
    });
    worker.postMessage(job.task);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
