import { weeklyTotals } from "../metrics/accuracy.js";
import { actualsForScoring, type SeriesInput } from "./model-input.js";
import type { WindowScore } from "./window-scores.js";

/**
 * The accuracy the product reports before 8 weeks of stored forecasts exist (SPEC §5): the
 * forecast as served — chosen without the held-out window, calibrated, with the declared impacts
 * — against what then sold, by week. Weeks with a stock-out are left out.
 */
export function heldOutWeeks(
  input: SeriesInput,
  result: { heldOut: { origin: number; forecast: Float64Array } | null },
): { week: number; forecast: number; actual: number }[] {
  if (!result.heldOut) return [];
  const { origin, forecast } = result.heldOut;
  const actual = weeklyTotals(actualsForScoring(input, origin, origin + forecast.length));
  return weeklyTotals(forecast, false).flatMap((f, week) => {
    const a = actual[week] as number;
    return Number.isFinite(a) ? [{ week, forecast: f, actual: a }] : [];
  });
}

export function heldOutScore(
  input: SeriesInput,
  result: { heldOut: { origin: number; forecast: Float64Array } | null },
): WindowScore | null {
  if (!result.heldOut) return null;
  const score = { error: 0, total: 0, apeSum: 0, apeWeeks: 0 };
  for (const { forecast, actual } of heldOutWeeks(input, result)) {
    score.error += Math.abs(forecast - actual);
    score.total += actual;
    if (actual > 0) {
      score.apeSum += Math.abs(forecast - actual) / actual;
      score.apeWeeks++;
    }
  }
  return score;
}
