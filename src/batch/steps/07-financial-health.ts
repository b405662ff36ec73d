import { asOfWeeklyForecasts, putKpi } from "../../data/optiflow/results-repository.js";
import { type FinancialRow, financialKpis } from "../../domain/kpi/financial.js";
import type { BatchContext, BatchStep } from "../batch-context.js";
import { kpiScopes } from "../kpi-scopes.js";
import type { LoadedSeries } from "../load-series.js";
import { lastCompleteWeeks } from "./05-ml-performance.js";

const OVERSTOCK_DAYS = 60;

/** Step 7: revenue forecast vs actual over the last 4 weeks, the next 4 weeks, and savings. */
export const financialHealthStep: BatchStep = {
  id: "7",
  name: "santé financière",
  needs: ["3", "6"],
  run(ctx) {
    const weeks = lastCompleteWeeks(ctx.today, 4);
    const allPairs = asOfWeeklyForecasts(ctx.db, weeks);
    const price = (articleId: number) => ctx.articles.get(articleId)?.shelfPrice ?? 0;
    let all: ReturnType<typeof financialKpis> | null = null;
    for (const scope of kpiScopes(ctx)) {
      const pairs =
        scope.storeId === null ? allPairs : allPairs.filter((p) => p.storeId === scope.storeId);
      const revenueForecast4w =
        pairs.length > 0 ? pairs.reduce((n, p) => n + p.forecast * price(p.articleId), 0) : null;
      const revenueActual4w =
        pairs.length > 0
          ? pairs.reduce((n, p) => n + p.actual * price(p.articleId), 0)
          : scope.series.reduce((n, s) => n + (ctx.activity.get(s.key)?.revenue30 ?? 0), 0) *
            (28 / 30);
      const kpis = financialKpis(
        scope.series.map((s) => financialRow(ctx, s)),
        revenueActual4w,
        revenueForecast4w,
      );
      putKpi(ctx.db, ctx.runId, `financial${scope.suffix}`, kpis);
      all ??= kpis;
    }
    return {
      revenueForecastNext4w: Math.round(all?.revenueForecastNext4w ?? 0),
      savings: Math.round(all?.savings.total ?? 0),
    };
  },
};

function financialRow(ctx: BatchContext, s: LoadedSeries): FinancialRow {
  const mean = ctx.forecasts.get(s.key)?.mean;
  const alert = ctx.alerts.get(s.key);
  let next28 = 0;
  let next60 = 0;
  if (mean) {
    for (let h = 0; h < mean.length; h++) {
      if (h < 28) next28 += mean[h] as number;
      if (h < OVERSTOCK_DAYS) next60 += mean[h] as number;
    }
  }
  const onHand = Math.max(0, ctx.onHand.get(s.key) ?? 0);
  return {
    shelfPrice: s.article.shelfPrice,
    purchasePrice: s.article.purchasePrice,
    vatRate: s.article.vatRate,
    forecastNext28: next28,
    shortfall: alert?.level === "CRITIQUE" ? Math.max(0, -(alert.remaining || 0)) : 0,
    overstockUnits: mean ? Math.max(0, onHand - next60) : 0,
  };
}
