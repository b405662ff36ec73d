import { seriesKey } from "../data/legacy/day-cache.js";
import { asOfWeeklyForecasts } from "../data/optiflow/results-repository.js";
import { dayFromIso } from "../domain/calendar/days.js";
import { weekIsScorable } from "../domain/forecast/model-input.js";
import type { WeeklyPair } from "../domain/kpi/precision.js";
import type { BatchContext } from "./batch-context.js";

/**
 * The weekly (forecast, actual) pairs of the forecasts stored before each of the given weeks
 * began, scored as the held-out window is (SPEC §4): a week holding a stock-out day is left
 * out, since its sales say less than the demand the forecast was of. Both sources of the
 * displayed precision thus measure the same thing.
 */
export function storedPairs(
  ctx: BatchContext,
  weekStarts: readonly string[],
): (WeeklyPair & { key: string })[] {
  const inputs = new Map(ctx.series.map((s) => [s.key, s.input]));
  const firstDay = ctx.today - ctx.settings.historyDays;
  return asOfWeeklyForecasts(ctx.db, weekStarts).flatMap((p) => {
    const key = seriesKey(p.articleId, p.storeId);
    const input = inputs.get(key);
    const start = dayFromIso(p.weekStart) - firstDay;
    if (input && !weekIsScorable(input, start)) return [];
    return [{ key, weekStart: p.weekStart, forecast: p.forecast, actual: p.actual }];
  });
}
