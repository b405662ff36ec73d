import { parentPort } from "node:worker_threads";
import type { SeriesInput, StoreCalendar } from "../../src/domain/forecast/model-input.js";
import {
  type AugursModels,
  augursMstl,
  augursProphet,
  loadAugurs,
  PROPHET_CONFIGS,
} from "./augurs-models.js";
import { POOLED_GBT, pooledGbtForecasts } from "./pooled-gbt.js";

/**
 * A worker thread of the bench running the slow references (augurs Prophet and MSTL, in
 * WebAssembly, one series at a time; the pooled trees, one fit for all the task's series) on a
 * batch of series, so that two of them share the machine's cores. Each answer carries its
 * forecasts and the time spent per series.
 */
export interface ReferenceTask {
  model: string;
  /** The series, grouped by store: each group shares its store's calendar. */
  stores: {
    calendar: StoreCalendar;
    series: { id: string; sales: Float64Array; discount: Float32Array }[];
  }[];
  origin: number;
  horizon: number;
}

export interface ReferenceAnswer {
  forecasts: [string, Float64Array][];
  ms: number;
  /** Series whose fit failed (Prophet's optimizer on a series of zeros, say): see `fallback`. */
  failures: number;
}

/**
 * What a failed fit stands for: the mean of the last 28 known days, flat (for a series of
 * zeros, the zeros Prophet itself would forecast). Counted and reported.
 */
function fallback(input: SeriesInput, origin: number, horizon: number): Float64Array {
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, origin - 28); i < origin; i++) {
    const v = input.sales[i] as number;
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return new Float64Array(horizon).fill(n > 0 ? sum / n : 0);
}

/** One augurs model, series by series: a failed fit stands for the 28-day mean, counted. */
function augursForecasts(
  augurs: AugursModels,
  task: ReferenceTask,
  inputs: readonly SeriesInput[],
): { forecasts: Float64Array[]; failures: number } {
  const config = PROPHET_CONFIGS.find((c) => c.name === task.model);
  let failures = 0;
  const forecasts = inputs.map((input) => {
    try {
      if (task.model === "augurs_mstl_ets")
        return augursMstl(augurs, input, task.origin, task.horizon);
      if (config) return augursProphet(augurs, config, input, task.origin, task.horizon);
      throw new Error(`unknown reference ${task.model}`);
    } catch {
      failures++;
      return fallback(input, task.origin, task.horizon);
    }
  });
  return { forecasts, failures };
}

/** The pooled trees: a series they have no level for stands for its 28-day mean, counted. */
function pooledForecasts(task: ReferenceTask, inputs: readonly SeriesInput[]) {
  let failures = 0;
  const forecasts = pooledGbtForecasts(inputs, task.origin, task.horizon).map((f, k) => {
    if (f.every(Number.isFinite)) return f;
    failures++;
    return fallback(inputs[k] as SeriesInput, task.origin, task.horizon);
  });
  return { forecasts, failures };
}

const loadedAugurs = await loadAugurs();
// The pool waits for this before it sends tasks, and the bench before it times Optiflow.
parentPort?.postMessage("ready");

parentPort?.on("message", (task: ReferenceTask) => {
  const started = performance.now();
  const ids = task.stores.flatMap((store) => store.series.map((s) => s.id));
  const inputs: SeriesInput[] = task.stores.flatMap((store) =>
    store.series.map((s) => ({ sales: s.sales, discount: s.discount, calendar: store.calendar })),
  );
  const run =
    task.model === POOLED_GBT
      ? pooledForecasts(task, inputs)
      : loadedAugurs
        ? augursForecasts(loadedAugurs, task, inputs)
        : {
            forecasts: inputs.map(() => new Float64Array(task.horizon).fill(Number.NaN)),
            failures: 0,
          };
  const answer: ReferenceAnswer = {
    forecasts: ids.map((id, k) => [id, run.forecasts[k] as Float64Array]),
    ms: performance.now() - started,
    failures: run.failures,
  };
  parentPort?.postMessage(answer);
});
