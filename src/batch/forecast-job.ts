import type { WeekdayProfile } from "../domain/forecast/category-profile.js";
import { forecastFromProfile } from "../domain/forecast/category-profile.js";
import type { SeriesInput } from "../domain/forecast/model-input.js";
import { forecastSeries, type SeriesForecast } from "../domain/forecast/select-model.js";
import type { StoredForecast } from "./batch-context.js";

/** Below this many known days a series borrows its category's profile (SPEC §5). */
export const MIN_DAYS_FOR_OWN_MODEL = 56;

export interface ForecastJobSeries {
  key: string;
  input: SeriesInput;
  knownDays: number;
  categoryId: number | null;
}

/** One slice of step 2's work: plain data, so that it can cross to a worker thread. */
export interface ForecastJob {
  series: ForecastJobSeries[];
  origin: number;
  horizon: number;
  profiles: [number | null, WeekdayProfile][];
}

/** A series' forecast as step 2 gets it back, before the store's calibration is applied. */
export type JobForecast = StoredForecast &
  Pick<SeriesForecast, "scores" | "dispersion" | "backtestWeeks">;

export interface ForecastJobResult {
  key: string;
  forecast: JobForecast | null;
}

export function forecastJob(job: ForecastJob): ForecastJobResult[] {
  const profiles = new Map(job.profiles);
  return job.series.map((s) => ({
    key: s.key,
    forecast: forecastOneSeries(s, job.origin, job.horizon, profiles),
  }));
}

export function forecastOneSeries(
  s: ForecastJobSeries,
  origin: number,
  horizon: number,
  profiles: ReadonlyMap<number | null, WeekdayProfile>,
): JobForecast | null {
  if (s.knownDays >= MIN_DAYS_FOR_OWN_MODEL) {
    const f = forecastSeries(s.input, origin, horizon);
    return {
      model: f.model,
      phi: f.phi,
      backtest: f.backtest,
      demandClass: f.demandClass,
      mean: f.mean,
      calibration: 1,
      scores: f.scores,
      dispersion: f.dispersion,
      backtestWeeks: f.backtestWeeks,
    };
  }
  if (s.knownDays <= 0) return null;
  const profile = profiles.get(s.categoryId) ?? profiles.get(null) ?? [1, 1, 1, 1, 1, 1, 1];
  return {
    model: "category_profile",
    phi: 0.5,
    backtest: { error: 0, total: 0, apeSum: 0, apeWeeks: 0 },
    demandClass: "intermittent",
    mean: forecastFromProfile(s.input, origin, horizon, profile),
    calibration: 1,
    scores: {},
    dispersion: { aa: 0, af: 0, ff: 0, f: 0 },
    backtestWeeks: new Float64Array(0),
  };
}
