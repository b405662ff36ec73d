import { readRecentActivity } from "../../data/legacy/read-stock.js";
import { putKpi } from "../../data/optiflow/results-repository.js";
import { isoFromDay } from "../../domain/calendar/days.js";
import { healthKpis } from "../../domain/kpi/health.js";
import type { BatchStep } from "../batch-context.js";
import { kpiScopes } from "../kpi-scopes.js";

/** Step 6: alert counts, stock value (Σ on-hand × prix_achat) and 30-day rotation. */
export const healthKpisStep: BatchStep = {
  id: "6",
  name: "indicateurs de santé",
  needs: ["3"],
  run(ctx) {
    ctx.activity = readRecentActivity(
      ctx.db,
      isoFromDay(ctx.today - 30),
      ctx.todayIso,
      ctx.series.map((s) => ({ articleId: s.article.id, storeId: s.store.id })),
    );
    let all: ReturnType<typeof healthKpis> | null = null;
    for (const scope of kpiScopes(ctx)) {
      const kpis = healthKpis(
        scope.series.map((s) => {
          const activity = ctx.activity.get(s.key);
          return {
            level: ctx.alerts.get(s.key)?.level ?? "SANS_PREVISION",
            onHand: ctx.onHand.get(s.key) ?? 0,
            purchasePrice: s.article.purchasePrice,
            sold30: activity?.sold30 ?? 0,
            averageStock30: activity?.averageStock30 ?? null,
          };
        }),
      );
      putKpi(ctx.db, ctx.runId, `health${scope.suffix}`, kpis);
      all ??= kpis;
    }
    return { ...all?.alerts, stockValue: Math.round(all?.stockValue ?? 0) };
  },
};
