import { parentPort } from "node:worker_threads";
import type { SeriesInput, StoreCalendar } from "../../src/domain/forecast/model-input.js";
import { augursMstl, augursProphet, loadAugurs, PROPHET_CONFIGS } from "./augurs-models.js";

/**
 * A worker thread of the bench running the slow references (augurs Prophet and MSTL, in
 * WebAssembly) on a batch of series, so that two of them share the machine's cores. Each answer
 * carries its forecasts and the time spent per series.
 */
export interface ReferenceTask {
  model: string;
  calendar: StoreCalendar;
  series: { id: string; sales: Float64Array; discount: Float32Array }[];
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

const augurs = await loadAugurs();

parentPort?.on("message", (task: ReferenceTask) => {
  const started = performance.now();
  const forecasts: [string, Float64Array][] = [];
  const config = PROPHET_CONFIGS.find((c) => c.name === task.model);
  let failures = 0;
  for (const s of task.series) {
    const input: SeriesInput = { sales: s.sales, discount: s.discount, calendar: task.calendar };
    let forecast: Float64Array;
    try {
      if (!augurs) forecast = new Float64Array(task.horizon).fill(Number.NaN);
      else if (task.model === "augurs_mstl_ets")
        forecast = augursMstl(augurs, input, task.origin, task.horizon);
      else if (config) forecast = augursProphet(augurs, config, input, task.origin, task.horizon);
      else throw new Error(`unknown reference ${task.model}`);
    } catch {
      failures++;
      forecast = fallback(input, task.origin, task.horizon);
    }
    forecasts.push([s.id, forecast]);
  }
  const answer: ReferenceAnswer = { forecasts, ms: performance.now() - started, failures };
  parentPort?.postMessage(answer);
});
