import type { Db } from "../data/open.js";
import { DEFAULT_PIPELINE } from "../domain/forecast/pipeline-spec.js";
import type { BatchContext } from "./batch-context.js";
import { forecastStores } from "./forecast-stores.js";
import type { LoadedSeries } from "./load-series.js";
import { loadSeries } from "./read-series.js";

export interface ForecastPreview {
  articleId: number;
  reference: string;
  storeCode: string;
  model: string;
  demandClass: string;
  backtestWape: number | null;
  calibration: number;
  next7: number;
  next28: number;
  daily: number[];
}

/** Settings of a preview: the batch's, with the country's holidays. */
export type PreviewSettings = Pick<BatchContext["settings"], "country">;

/**
 * Step 2 without writing anything (`optiflow ml predict-sales`): the same pipeline, recomputed
 * now from the legacy data — every series of the stores involved, since a store's series are
 * calibrated together — and the asked article's (or every) forecast returned. Nothing is stored.
 */
export async function previewForecasts(
  db: Db,
  today: number,
  todayIso: string,
  articleId: number | null,
  settings: PreviewSettings = { country: "FR" },
): Promise<ForecastPreview[]> {
  const ctx = {
    db,
    today,
    todayIso,
    settings: {
      country: settings.country,
      horizonDays: 63,
      historyDays: 3 * 365,
    },
    stores: [],
    articles: new Map(),
    series: [] as LoadedSeries[],
  };
  const all = loadSeries(ctx);
  const { forecasts } = await forecastStores(
    all,
    ctx.settings.historyDays,
    ctx.settings.horizonDays,
    DEFAULT_PIPELINE,
    () => {},
  );
  const chosen = articleId === null ? all : all.filter((s) => s.article.id === articleId);
  return chosen.flatMap((s) => {
    const f = forecasts.get(s.key);
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
        calibration: f.calibration,
        next7: sum(7),
        next28: sum(28),
        daily: Array.from(f.mean),
      },
    ];
  });
}
