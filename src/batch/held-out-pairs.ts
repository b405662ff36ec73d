import { isoFromDay } from "../domain/calendar/days.js";
import { heldOutWeeks } from "../domain/forecast/held-out.js";
import type { WeeklyPair } from "../domain/kpi/precision.js";
import type { BatchContext } from "./batch-context.js";

/** The held-out window's weekly pairs of every series, dated by the window's weeks. */
export function heldOutPairs(ctx: BatchContext): (WeeklyPair & { key: string })[] {
  const firstDay = ctx.today - ctx.settings.historyDays;
  return ctx.series.flatMap((s) => {
    const f = ctx.forecasts.get(s.key);
    if (!f?.heldOut) return [];
    const start = firstDay + f.heldOut.origin;
    return heldOutWeeks(s.input, f).map(({ week, forecast, actual }) => ({
      key: s.key,
      weekStart: isoFromDay(start + 7 * week),
      forecast,
      actual,
    }));
  });
}
