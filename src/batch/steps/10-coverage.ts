import { putKpi, updateAlertCoverage } from "../../data/optiflow/results-repository.js";
import { classifyCoverage, daysOfCover } from "../../domain/replenishment/coverage.js";
import type { BatchStep } from "../batch-context.js";

/** Step 10: days of stock cover, dead stock and overstock. */
export const coverageStep: BatchStep = {
  id: "10",
  name: "couverture de stock",
  needs: ["2", "6"],
  run(ctx) {
    const rows: {
      articleId: number;
      storeId: number;
      daysOfCover: number | null;
      coverage: string;
    }[] = [];
    const summary = {
      RUPTURE: 0,
      NORMAL: 0,
      SURSTOCK: 0,
      STOCK_MORT: 0,
      deadStockValue: 0,
      overstockValue: 0,
    };
    for (const s of ctx.series) {
      const mean = ctx.forecasts.get(s.key)?.mean;
      const onHand = ctx.onHand.get(s.key) ?? 0;
      const cover = mean ? daysOfCover(mean, onHand) : null;
      const last = ctx.activity.get(s.key)?.lastSaleDay ?? null;
      const coverage = classifyCoverage(onHand, cover, last === null ? null : ctx.today - last);
      summary[coverage]++;
      const value = Math.max(0, onHand) * (s.article.purchasePrice ?? 0);
      if (coverage === "STOCK_MORT") summary.deadStockValue += value;
      if (coverage === "SURSTOCK") summary.overstockValue += value;
      rows.push({ articleId: s.article.id, storeId: s.store.id, daysOfCover: cover, coverage });
    }
    updateAlertCoverage(ctx.db, ctx.runId, rows);
    putKpi(ctx.db, ctx.runId, "coverage", summary);
    return {
      ...summary,
      deadStockValue: Math.round(summary.deadStockValue),
      overstockValue: Math.round(summary.overstockValue),
    };
  },
};
