import { putKpi } from "../../data/optiflow/results-repository.js";
import { type FinancialRow, financialKpis } from "../../domain/kpi/financial.js";
import type { BatchContext, BatchStep } from "../batch-context.js";
import { kpiScopes } from "../kpi-scopes.js";
import type { LoadedSeries } from "../load-series.js";

const OVERSTOCK_DAYS = 60;

/** Step 7: revenue forecast vs actual over the last 4 weeks, the next 4 weeks, and savings. */
export const financialHealthStep: BatchStep = {
  id: "7",
  name: "santé financière",
  needs: ["3", "4", "6"],
  run(ctx) {
    let all: ReturnType<typeof financialKpis> | null = null;
    for (const scope of kpiScopes(ctx)) {
      // The last 4 weeks: what was really cashed (`chiffre_affaires`), against the forecast made
      // before them (the held-out window's, as served), at the shelf price.
      const revenueActual4w = scope.series.reduce(
        (n, s) => n + (ctx.activity.get(s.key)?.revenue28 ?? 0),
        0,
      );
      let revenueForecast4w: number | null = null;
      for (const s of scope.series) {
        const heldOut = ctx.forecasts.get(s.key)?.heldOut;
        if (!heldOut) continue;
        const units = heldOut.forecast.reduce((n, v) => n + v, 0);
        revenueForecast4w = (revenueForecast4w ?? 0) + units * (s.article.shelfPrice ?? 0);
      }
      const kpis = financialKpis(
        scope.series.map((s) => financialRow(ctx, s)),
        revenueActual4w,
        revenueForecast4w,
        ctx.settings.carryingCostRate,
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
    // What an order placed today can save: not the sales lost before it arrives (SPEC's shortfall
    // of a critical article), but those its quantity keeps after, up to its target date.
    salesKept: ctx.salesKept.get(s.key) ?? 0,
    overstockUnits: mean ? Math.max(0, onHand - next60) : 0,
  };
}
