import { weeklyTotals } from "../metrics/accuracy.js";
import { actualsForScoring, type SeriesInput } from "./model-input.js";
import { WINDOW_DAYS } from "./pipeline-spec.js";

/**
 * How forecasts score on past windows of 28 days (SPEC §5): the sums behind the weekly WAPE that
 * selection ranks candidates by, and MAPE's parts. Candidates (choosing their own variants),
 * selection and the held-out window all score with these.
 */
export interface WindowScore {
  error: number;
  total: number;
  /** Σ |F − A| / A over the weeks with A > 0, and their count: MAPE's parts. */
  apeSum: number;
  apeWeeks: number;
}

/** Weekly totals of the actual sales of each window, shared by every candidate. */
export function actualWeeksOf(input: SeriesInput, origins: readonly number[]): number[][] {
  return origins.map((o) => weeklyTotals(actualsForScoring(input, o, o + WINDOW_DAYS)));
}

/** The sums of a candidate's weekly errors over these windows (their daily forecasts). */
export function scoreWindows(daily: Float64Array[], actualWeeks: readonly number[][]): WindowScore {
  let error = 0;
  let total = 0;
  let apeSum = 0;
  let apeWeeks = 0;
  daily.forEach((forecast, k) => {
    const forecastWeeks = weeklyTotals(forecast, false);
    const actual = actualWeeks[k] as number[];
    forecastWeeks.forEach((f, w) => {
      const a = actual[w] as number;
      if (!Number.isFinite(a)) return;
      error += Math.abs(f - a);
      total += a;
      if (a > 0) {
        apeSum += Math.abs(f - a) / a;
        apeWeeks++;
      }
    });
  });
  return { error, total, apeSum, apeWeeks };
}
