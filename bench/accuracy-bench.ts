import {
  applyCalibration,
  calibrationFactor,
  learnCalibration,
} from "../src/domain/forecast/calibration.js";
import { demandQuantile } from "../src/domain/forecast/quantiles.js";
import {
  CANDIDATES,
  forecastSeries,
  type SeriesForecast,
} from "../src/domain/forecast/select-model.js";
import type { BenchDataset } from "./datasets/bench-dataset.js";
import {
  datasetActualTotal,
  datasetCoverage,
  datasetMase,
  datasetWape,
  intermittentSeries,
} from "./evaluate.js";
import {
  type AugursModels,
  augursMstl,
  augursProphet,
  PROPHET_CONFIGS,
  type ProphetConfig,
} from "./references/augurs-models.js";
import { rProphet } from "./references/r-prophet.js";

export interface AccuracyRow {
  dataset: string;
  model: string;
  kind: "optiflow" | "candidate" | "reference";
  weeklyWape: number;
  intermittentWape: number;
  /** Σ A of the intermittent series' weeks: to pool several windows' WAPE. */
  intermittentActual: number;
  mase: number;
  coverage80: number | null;
  msPerSeries: number;
}

type Forecaster = (
  input: BenchDataset["series"][number]["input"],
  origin: number,
  horizon: number,
) => Float64Array;

/** Calls before timing, cycling over the series: a one-series data set is warmed up too. */
const WARM_UP_CALLS = 30;
/**
 * Whole passes over the data set are timed until both bounds are reached: per-series time in
 * steady state, as in a nightly batch of thousands of series. A model costing 100 ms a series
 * gets there in one pass; a fast one in many, so that neither JIT tier-up (which a single pass of
 * a fast model mostly measures) nor one call's noise decides.
 */
const MIN_TIMED_CALLS = 10;
const MIN_TIMED_MS = 2000;

function evaluate(
  dataset: BenchDataset,
  model: string,
  kind: AccuracyRow["kind"],
  forecaster: Forecaster,
  intermittent: Set<string>,
  /** Work done once the data set's series are all forecast (Optiflow's calibration), timed too. */
  afterAll: (forecasts: Map<string, Float64Array>) => void = () => {},
): AccuracyRow & { forecasts: Map<string, Float64Array> } {
  const forecasts = new Map<string, Float64Array>();
  // Warm-up, untimed and the same for every model: JIT compilation (and WebAssembly start-up)
  // and, for Optiflow, the store's shared design matrices, built once per calendar and origin.
  // Forecasters are deterministic, so repeated passes give the same forecasts.
  const { series } = dataset;
  for (let k = 0; k < WARM_UP_CALLS; k++) {
    const s = series[k % series.length];
    if (s) forecaster(s.input, dataset.origin, dataset.horizon);
  }
  const started = performance.now();
  let calls = 0;
  while (calls < MIN_TIMED_CALLS || performance.now() - started < MIN_TIMED_MS) {
    for (const s of series)
      forecasts.set(s.id, forecaster(s.input, dataset.origin, dataset.horizon));
    calls += Math.max(1, series.length);
  }
  afterAll(forecasts);
  const msPerSeries = (performance.now() - started) / calls;
  return {
    dataset: dataset.name,
    model,
    kind,
    weeklyWape: datasetWape(dataset, forecasts),
    intermittentWape:
      intermittent.size > 0 ? datasetWape(dataset, forecasts, intermittent) : Number.NaN,
    intermittentActual: datasetActualTotal(dataset, intermittent),
    mase: datasetMase(dataset, forecasts),
    coverage80: null,
    msPerSeries,
    forecasts,
  };
}

/**
 * Every candidate alone, the per-series selection (Optiflow's forecast), and the references,
 * on the same hidden window of the same data set, timed in the same run.
 */
export function runAccuracyBench(
  dataset: BenchDataset,
  augurs: AugursModels | null,
  withR: boolean,
  log: (line: string) => void,
): { rows: AccuracyRow[]; r: RComparison | null } {
  const intermittent = intermittentSeries(dataset);
  const rows: AccuracyRow[] = [];
  const strip = ({ forecasts: _f, ...row }: AccuracyRow & { forecasts: unknown }) => row;

  // The data set is one store: its series' forecasts are calibrated together, as step 2 does.
  const selections = new Map<string, SeriesForecast>();
  const idOf = new Map(dataset.series.map((s) => [s.input, s.id]));
  const selected = evaluate(
    dataset,
    "optiflow (selected per series)",
    "optiflow",
    (input, origin, horizon) => {
      const f = forecastSeries(input, origin, horizon);
      selections.set(idOf.get(input) ?? "", f);
      return f.mean;
    },
    intermittent,
    () => {
      const calibration = learnCalibration(selections.values());
      for (const f of selections.values())
        applyCalibration(f, calibrationFactor(calibration, f.demandClass));
    },
  );
  const phis = new Map([...selections].map(([id, f]) => [id, f.phi]));
  const lower = new Map<string, Float64Array>();
  const upper = new Map<string, Float64Array>();
  for (const [id, mean] of selected.forecasts) {
    const phi = phis.get(id) ?? 0.5;
    lower.set(
      id,
      mean.map((m) => demandQuantile(m, phi, 0.1)),
    );
    upper.set(
      id,
      mean.map((m) => demandQuantile(m, phi, 0.9)),
    );
  }
  rows.push({ ...strip(selected), coverage80: datasetCoverage(dataset, lower, upper) });
  log(`  optiflow: ${(selected.weeklyWape * 100).toFixed(1)}%`);

  for (const candidate of CANDIDATES) {
    rows.push(
      strip(
        evaluate(
          dataset,
          candidate.name,
          "candidate",
          (i, o, h) => candidate.forecast(i, [o], h, () => undefined)[0] as Float64Array,
          intermittent,
        ),
      ),
    );
  }
  const augursForecasts = new Map<string, Map<string, Float64Array>>();
  if (augurs) {
    for (const config of PROPHET_CONFIGS) {
      const row = evaluate(
        dataset,
        config.name,
        "reference",
        (i, o, h) => augursProphet(augurs, config, i, o, h),
        intermittent,
      );
      augursForecasts.set(config.name, row.forecasts);
      rows.push(strip(row));
      log(
        `  ${config.name}: ${(row.weeklyWape * 100).toFixed(1)}% (${row.msPerSeries.toFixed(0)} ms/series)`,
      );
    }
    rows.push(
      strip(
        evaluate(
          dataset,
          "augurs_mstl_ets",
          "reference",
          (i, o, h) => augursMstl(augurs, i, o, h),
          intermittent,
        ),
      ),
    );
  }
  const r = withR ? compareWithR(dataset, selected, rows, augursForecasts, log) : null;
  return { rows, r };
}

/** The original Prophet costs seconds per series: it runs on the first series of each data set. */
const R_SERIES = 20;
const R_CONFIG = PROPHET_CONFIGS.find((c) => c.log && c.events) as ProphetConfig;

export interface RComparison {
  dataset: string;
  series: number;
  config: string;
  /** Weekly WAPE on those series and ms per series (Optiflow's and augurs': whole data set). */
  rows: { model: string; weeklyWape: number; msPerSeries: number }[];
}

function compareWithR(
  dataset: BenchDataset,
  optiflow: AccuracyRow & { forecasts: Map<string, Float64Array> },
  rows: readonly AccuracyRow[],
  augursForecasts: ReadonlyMap<string, Map<string, Float64Array>>,
  log: (line: string) => void,
): RComparison {
  const ids = dataset.series.slice(0, R_SERIES).map((s) => s.id);
  const only = new Set(ids);
  const run = rProphet(dataset, ids, R_CONFIG);
  const label = R_CONFIG.name.replace("augurs_prophet ", "");
  log(`  R prophet ${label}: ${run.msPerSeries.toFixed(0)} ms/series`);
  const compared = [
    {
      model: `r_prophet ${label}`,
      weeklyWape: datasetWape(dataset, run.forecasts, only),
      msPerSeries: run.msPerSeries,
    },
    {
      model: "optiflow (selected per series)",
      weeklyWape: datasetWape(dataset, optiflow.forecasts, only),
      msPerSeries: optiflow.msPerSeries,
    },
  ];
  const augurs = augursForecasts.get(R_CONFIG.name);
  if (augurs)
    compared.push({
      model: R_CONFIG.name,
      weeklyWape: datasetWape(dataset, augurs, only),
      msPerSeries: rows.find((r) => r.model === R_CONFIG.name)?.msPerSeries ?? Number.NaN,
    });
  return { dataset: dataset.name, series: ids.length, config: R_CONFIG.name, rows: compared };
}
