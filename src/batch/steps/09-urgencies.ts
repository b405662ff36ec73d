import { putKpi } from "../../data/optiflow/results-repository.js";
import type { BatchStep } from "../batch-context.js";
import { kpiScopes } from "../kpi-scopes.js";

/**
 * Step 9: the 3 most urgent critical articles: the largest sales the shelf will miss before a
 * delivery could arrive, at shelf price.
 */
export const urgenciesStep: BatchStep = {
  id: "9",
  name: "urgences",
  needs: ["3", "4"],
  run(ctx) {
    let count = 0;
    for (const scope of kpiScopes(ctx)) {
      const critical = scope.series
        .map((s) => ({ s, alert: ctx.alerts.get(s.key) }))
        .filter((x) => x.alert?.level === "CRITIQUE")
        .map(({ s, alert }) => ({
          articleId: s.article.id,
          reference: s.article.reference,
          name: s.article.name,
          storeId: s.store.id,
          storeCode: s.store.code,
          remaining: alert?.remaining ?? 0,
          unit: s.article.unit,
          leadTime: alert?.leadTime ?? 0,
          salesLost: alert?.salesLost ?? 0,
          valueAtRisk: (alert?.salesLost ?? 0) * (s.article.shelfPrice ?? 0),
        }))
        .sort(
          (a, b) =>
            b.valueAtRisk - a.valueAtRisk || b.salesLost - a.salesLost || a.remaining - b.remaining,
        )
        .slice(0, 3);
      putKpi(ctx.db, ctx.runId, `urgencies${scope.suffix}`, critical);
      if (scope.storeId === null) count = critical.length;
    }
    return { urgencies: count };
  },
};
