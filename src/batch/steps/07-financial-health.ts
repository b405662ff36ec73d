import { asOfWeeklyForecasts, putKpi } from "../../data/optiflow/results-repository.js";
import { financialKpis } from "../../domain/kpi/financial.js";
import type { BatchStep } from "../batch-context.js";
import { lastCompleteWeeks } from "./05-ml-performance.js";

const OVERSTOCK_DAYS = 60;

/** Step 7: revenue forecast vs actual over the last 4 weeks, the next 4 weeks, and savings. */
export const financialHealthStep: BatchStep = {
  id: "7",
  name: "santé financière",
  needs: ["3", "6"],
  run(ctx) {
    const weeks = lastCompleteWeeks(ctx.today, 4);
    const pairs = asOfWeeklyForecasts(ctx.db, weeks);
    const price = (articleId: number) => ctx.articles.get(articleId)?.shelfPrice ?? 0;
    const revenueForecast4w =
      pairs.length > 0 ? pairs.reduce((n, p) => n + p.forecast * price(p.articleId), 0) : null;
    const revenueActual4w =
      pairs.length > 0
        ? pairs.reduce((n, p) => n + p.actual * price(p.articleId), 0)
        : [...ctx.activity.values()].reduce((n, a) => n + a.revenue30, 0) * (28 / 30);
    const rows = ctx.series.map((s) => {
      const mean = ctx.forecasts.get(s.key)?.mean;
      const alert = ctx.alerts.get(s.key);
      let next28 = 0;
      let next60 = 0;
      if (mean)
        for (let h = 0; h < mean.length; h++) {
          if (h < 28) next28 += mean[h] as number;
          if (h < OVERSTOCK_DAYS) next60 += mean[h] as number;
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
    });
    const kpis = financialKpis(rows, revenueActual4w, revenueForecast4w);
    putKpi(ctx.db, ctx.runId, "financial", kpis);
    return {
      revenueForecastNext4w: Math.round(kpis.revenueForecastNext4w),
      savings: Math.round(kpis.savings.total),
    };
  },
};
