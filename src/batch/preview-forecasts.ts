import type { Db } from "../data/open.js";
import type { BatchContext } from "./batch-context.js";
import { forecastOneSeries } from "./forecast-job.js";
import { categoryProfiles, loadSeries } from "./steps/02-predict-sales.js";

export interface ForecastPreview {
  articleId: number;
  reference: string;
  storeCode: string;
  model: string;
  demandClass: string;
  backtestWape: number | null;
  next7: number;
  next28: number;
  daily: number[];
}

/**
 * Step 2 without writing anything: forecasts recomputed now from the legacy data, for one article
 * or all (`optiflow ml predict-sales`). Nothing is stored or published.
 */
export function previewForecasts(
  db: Db,
  today: number,
  todayIso: string,
  articleId: number | null,
): ForecastPreview[] {
  const ctx: Pick<
    BatchContext,
    "db" | "today" | "todayIso" | "settings" | "stores" | "articles" | "series"
  > = {
    db,
    today,
    todayIso,
    settings: { marginPct: 10, countOpenOrders: true, horizonDays: 63, historyDays: 3 * 365 },
    stores: [],
    articles: new Map(),
    series: [],
  };
  const all = loadSeries(ctx);
  const profiles = categoryProfiles(all, ctx.settings.historyDays);
  const chosen = articleId === null ? all : all.filter((s) => s.article.id === articleId);
  return chosen.flatMap((s) => {
    const f = forecastOneSeries(
      { key: s.key, input: s.input, knownDays: s.knownDays, categoryId: s.article.categoryId },
      ctx.settings.historyDays,
      ctx.settings.horizonDays,
      profiles,
    );
    if (!f) return [];
    const sum = (days: number) => f.mean.subarray(0, days).reduce((n, v) => n + v, 0);
    return [
      {
        articleId: s.article.id,
        reference: s.article.reference,
        storeCode: s.store.code,
        model: f.model,
        demandClass: f.demandClass,
        backtestWape: f.backtest.total > 0 ? f.backtest.error / f.backtest.total : null,
        next7: sum(7),
        next28: sum(28),
        daily: Array.from(f.mean),
      },
    ];
  });
}
