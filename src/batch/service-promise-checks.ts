import { seriesKey } from "../data/legacy/day-cache.js";
import {
  earliestServicePeriodEnd,
  storedServiceChecks,
} from "../data/optiflow/service-checks-repository.js";
import { dayFromIso, isoFromDay, weekStartOfDay } from "../domain/calendar/days.js";
import {
  periodCensored,
  periodSales,
  type ServiceCheck,
  type ServicePromiseKpi,
  servicePromiseFigures,
} from "../domain/kpi/service-promise.js";
import type { BatchContext } from "./batch-context.js";
import { kpiScopes } from "./kpi-scopes.js";
import { lastCompleteWeeks } from "./scored-weeks.js";

/**
 * The promises of the runs the stored precision scores (one a week: the last 8 weeks' and this
 * week's) whose periods are over, checked against tonight's series, for all stores and for each
 * store (keyed by the KPI suffix). A series no longer forecast (an article delisted since) is
 * left out.
 */
export function servicePromiseByScope(ctx: BatchContext): Map<string, ServicePromiseKpi> {
  const weeks = [...lastCompleteWeeks(ctx.today), isoFromDay(weekStartOfDay(ctx.today))];
  const series = new Map(ctx.series.map((s) => [s.key, s]));
  const checks = storedServiceChecks(ctx.db, weeks, ctx.todayIso).flatMap((c) => {
    const key = seriesKey(c.articleId, c.storeId);
    const s = series.get(key);
    if (!s) return [];
    const { sales, calendar } = s.input;
    const first = dayFromIso(c.periodStart) - calendar.firstDay;
    const last = dayFromIso(c.periodEnd) - calendar.firstDay;
    const sold = periodSales(sales, first, last);
    if (sold === null) return [];
    const censored = periodCensored(sales, calendar.open, first, last);
    const check: ServiceCheck & { storeId: number } = { ...c, series: key, sold, censored };
    return [check];
  });
  const firstPeriodEnd = checks.length > 0 ? null : earliestServicePeriodEnd(ctx.db, ctx.runId);
  return new Map(
    kpiScopes(ctx).map((scope) => {
      const inScope = checks.filter((c) => scope.storeId === null || c.storeId === scope.storeId);
      return [scope.suffix, { byClass: servicePromiseFigures(inScope), firstPeriodEnd }];
    }),
  );
}
