import { getKpi, kpiHistory, putKpi } from "../../data/optiflow/results-repository.js";
import { isoFromDay } from "../../domain/calendar/days.js";
import type { HealthKpis } from "../../domain/kpi/health.js";
import type { BatchStep } from "../batch-context.js";
import { kpiScopes } from "../kpi-scopes.js";

/** Step 8: alert counts of the last 7 days (one point per day that had a successful run). */
export const alertTrendStep: BatchStep = {
  id: "8",
  name: "tendance des alertes (7 jours)",
  needs: ["6"],
  run(ctx) {
    let days = 0;
    for (const scope of kpiScopes(ctx)) {
      const key = `health${scope.suffix}`;
      const today = getKpi<HealthKpis>(ctx.db, ctx.runId, key);
      const history = kpiHistory<HealthKpis>(
        ctx.db,
        key,
        isoFromDay(ctx.today - 6),
        ctx.todayIso,
        ctx.runId,
      );
      const points = history.map((h) => ({ date: h.today, ...h.value.alerts }));
      if (today && !points.some((p) => p.date === ctx.todayIso))
        points.push({ date: ctx.todayIso, ...today.alerts });
      putKpi(ctx.db, ctx.runId, `alert_trend${scope.suffix}`, points);
      if (scope.storeId === null) days = points.length;
    }
    return { days };
  },
};
