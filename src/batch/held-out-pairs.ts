import { isoFromDay } from "../domain/calendar/days.js";
import { heldOutWeeks } from "../domain/forecast/held-out.js";
import { baselineWeekTotal, type WeeklyPair } from "../domain/kpi/precision.js";
import type { BatchContext } from "./batch-context.js";

/**
 * The held-out window's weekly pairs of every series, dated by the window's weeks, each with the
 * 28-day mean's forecast of its week made at the window's start, as the served one was.
 */
export function heldOutPairs(ctx: BatchContext): (WeeklyPair & { key: string })[] {
  const firstDay = ctx.today - ctx.settings.historyDays;
  return ctx.series.flatMap((s) => {
    const f = ctx.forecasts.get(s.key);
    if (!f?.heldOut) return [];
    const { origin } = f.heldOut;
    return heldOutWeeks(s.input, f).map(({ week, forecast, actual }) => ({
      key: s.key,
      weekStart: isoFromDay(firstDay + origin + 7 * week),
      forecast,
      actual,
      baseline: baselineWeekTotal(s.input, origin, origin + 7 * week),
    }));
  });
}
