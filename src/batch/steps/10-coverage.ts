import { putKpi, updateAlertCoverage } from "../../data/optiflow/results-repository.js";
import {
  type CoverageClass,
  classifyCoverage,
  daysOfCover,
} from "../../domain/replenishment/coverage.js";
import type { BatchStep } from "../batch-context.js";
import { kpiScopes } from "../kpi-scopes.js";

interface CoverageSummary extends Record<CoverageClass, number> {
  deadStockValue: number;
  overstockValue: number;
}

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
      coverage: CoverageClass;
      value: number;
      key: string;
    }[] = [];
    for (const s of ctx.series) {
      const mean = ctx.forecasts.get(s.key)?.mean;
      const onHand = ctx.onHand.get(s.key) ?? 0;
      const cover = mean ? daysOfCover(mean, onHand) : null;
      const last = ctx.activity.get(s.key)?.lastSaleDay ?? null;
      const coverage = classifyCoverage(onHand, cover, last === null ? null : ctx.today - last);
      const value = Math.max(0, onHand) * (s.article.purchasePrice ?? 0);
      rows.push({
        articleId: s.article.id,
        storeId: s.store.id,
        daysOfCover: cover,
        coverage,
        value,
        key: s.key,
      });
    }
    updateAlertCoverage(ctx.db, ctx.runId, rows);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    let all: CoverageSummary | null = null;
    for (const scope of kpiScopes(ctx)) {
      const summary: CoverageSummary = {
        RUPTURE: 0,
        NORMAL: 0,
        SURSTOCK: 0,
        STOCK_MORT: 0,
        deadStockValue: 0,
        overstockValue: 0,
      };
      for (const s of scope.series) {
        const row = byKey.get(s.key);
        if (!row) continue;
        summary[row.coverage]++;
        if (row.coverage === "STOCK_MORT") summary.deadStockValue += row.value;
        if (row.coverage === "SURSTOCK") summary.overstockValue += row.value;
      }
      putKpi(ctx.db, ctx.runId, `coverage${scope.suffix}`, summary);
      all ??= summary;
    }
    return {
      ...all,
      deadStockValue: Math.round(all?.deadStockValue ?? 0),
      overstockValue: Math.round(all?.overstockValue ?? 0),
    };
  },
};
