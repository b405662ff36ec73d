import { putKpi, updateAlertCoverage } from "../../data/optiflow/results-repository.js";
import {
  type CoverageClass,
  classifyCoverage,
  daysOfCover,
} from "../../domain/replenishment/coverage.js";
import type { BatchContext, BatchStep } from "../batch-context.js";
import { kpiScopes } from "../kpi-scopes.js";

interface CoverageArticle {
  articleId: number;
  reference: string;
  name: string;
  storeId: number;
  storeCode: string;
  value: number;
  daysOfCover: number | null;
}

interface CoverageSummary extends Record<CoverageClass, number> {
  deadStockValue: number;
  overstockValue: number;
  /** The articles concerned, largest stock value first (15 per class at most). */
  articles: Record<"RUPTURE" | "SURSTOCK" | "STOCK_MORT", CoverageArticle[]>;
}

const LISTED = 15;

interface CoverageRow {
  articleId: number;
  storeId: number;
  daysOfCover: number | null;
  coverage: CoverageClass;
  value: number;
  key: string;
}

type Series = BatchContext["series"][number];

/** Step 10: days of stock cover, dead stock and overstock. */
export const coverageStep: BatchStep = {
  id: "10",
  name: "couverture de stock",
  needs: ["2", "6"],
  run(ctx) {
    const rows = ctx.series.map((s) => coverageRow(ctx, s));
    updateAlertCoverage(ctx.db, ctx.runId, rows);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    let all: CoverageSummary | null = null;
    for (const scope of kpiScopes(ctx)) {
      const summary = summarise(ctx, scope.series, byKey);
      putKpi(ctx.db, ctx.runId, `coverage${scope.suffix}`, summary);
      all ??= summary;
    }
    return {
      RUPTURE: all?.RUPTURE,
      NORMAL: all?.NORMAL,
      SURSTOCK: all?.SURSTOCK,
      STOCK_MORT: all?.STOCK_MORT,
      deadStockValue: Math.round(all?.deadStockValue ?? 0),
      overstockValue: Math.round(all?.overstockValue ?? 0),
    };
  },
};

function coverageRow(ctx: BatchContext, s: Series): CoverageRow {
  const mean = ctx.forecasts.get(s.key)?.mean;
  const onHand = ctx.onHand.get(s.key) ?? 0;
  const cover = mean ? daysOfCover(mean, onHand) : null;
  const last = ctx.activity.get(s.key)?.lastSaleDay ?? null;
  return {
    articleId: s.article.id,
    storeId: s.store.id,
    daysOfCover: cover,
    coverage: classifyCoverage(onHand, cover, last === null ? null : ctx.today - last),
    value: Math.max(0, onHand) * (s.article.purchasePrice ?? 0),
    key: s.key,
  };
}

/** One scope's counts and values, with its articles outside NORMAL, largest first. */
function summarise(
  ctx: BatchContext,
  series: readonly Series[],
  byKey: ReadonlyMap<string, CoverageRow>,
): CoverageSummary {
  const summary: CoverageSummary = {
    RUPTURE: 0,
    NORMAL: 0,
    SURSTOCK: 0,
    STOCK_MORT: 0,
    deadStockValue: 0,
    overstockValue: 0,
    articles: { RUPTURE: [], SURSTOCK: [], STOCK_MORT: [] },
  };
  for (const s of series) {
    const row = byKey.get(s.key);
    if (!row) continue;
    summary[row.coverage]++;
    if (row.coverage === "STOCK_MORT") summary.deadStockValue += row.value;
    if (row.coverage === "SURSTOCK") summary.overstockValue += row.value;
    if (row.coverage !== "NORMAL")
      summary.articles[row.coverage].push({
        articleId: s.article.id,
        reference: s.article.reference,
        name: s.article.name,
        storeId: s.store.id,
        storeCode: s.store.code,
        // Out of stock: what a day of missing sales costs; otherwise the stock's value.
        value:
          row.coverage === "RUPTURE"
            ? (ctx.forecasts.get(s.key)?.mean[0] ?? 0) * (s.article.shelfPrice ?? 0)
            : row.value,
        daysOfCover: row.daysOfCover,
      });
  }
  for (const list of Object.values(summary.articles)) {
    list.sort((a, b) => b.value - a.value);
    list.splice(LISTED);
  }
  return summary;
}
