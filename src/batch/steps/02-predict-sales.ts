import {
  readModelChoices,
  type SavedSelection,
  saveModelChoices,
} from "../../data/optiflow/model-choices-repository.js";
import type { ClosedDays } from "../../data/optiflow/published-results.js";
import {
  CLOSED_DAYS_KPI,
  type ForecastRow,
  insertForecasts,
  insertSeries,
  putKpi,
  type SeriesRow,
} from "../../data/optiflow/results-repository.js";
import { isoFromDay } from "../../domain/calendar/days.js";
import { runWithoutSale } from "../../domain/forecast/dormancy.js";
import type { StoreSelection } from "../../domain/forecast/forecast-store.js";
import { heldOutScore } from "../../domain/forecast/held-out.js";
import { DEFAULT_PIPELINE, selectionServes } from "../../domain/forecast/pipeline-spec.js";
import { demandQuantile } from "../../domain/forecast/quantiles.js";
import type { BatchContext, BatchStep } from "../batch-context.js";
import { forecastStores } from "../forecast-stores.js";
import { readHistory } from "../incremental-history.js";
import type { LoadedSeries } from "../load-series.js";
import { loadSeries } from "../read-series.js";
import { lastCompleteWeeks, weekSalesOf } from "../scored-weeks.js";

/** Step 2: daily sales forecasts for every active article × store, horizon ≥ 60 days. */
export const predictSalesStep: BatchStep = {
  id: "2",
  name: "prévision des ventes",
  needs: [],
  async run(ctx) {
    // Phase durations are recorded with the step's counts: where a long step spends its time.
    const clock = phaseClock();
    const earlier = servingSelections(ctx);
    const { loaded, report, cacheWritten } = await readSeries(ctx);
    putKpi(ctx.db, ctx.runId, CLOSED_DAYS_KPI, closedDaysAhead(loaded, ctx));
    // Settles once the storing thread is done, and never rejects: its failure reaches the step
    // through `ready` below, and is handled at once should the forecasting fail first.
    const stored = cacheWritten.catch(() => undefined);
    const readSeconds = clock();
    const { forecasts, calibration, intervals, periodLevels, selections } = await forecastStores(
      loaded,
      ctx.settings.historyDays,
      ctx.settings.horizonDays,
      DEFAULT_PIPELINE,
      (done, total) => ctx.progress("prévisions", done, total),
      {
        earlier: new Map([...earlier].map(([store, saved]) => [store, saved.selection])),
        // The store-wide models are fitted while a full reading's cache is still being stored.
        ready: cacheWritten,
      },
    ).finally(() => stored);
    const forecastSeconds = clock();
    const selection = saveNewSelections(ctx, earlier, selections);
    const seriesRows: SeriesRow[] = [];
    for (const s of loaded) {
      const forecast = forecasts.get(s.key);
      if (!forecast) continue;
      ctx.forecasts.set(s.key, forecast);
      seriesRows.push(seriesRow(s, forecast, ctx.settings.historyDays));
    }
    insertSeries(ctx.db, ctx.runId, seriesRows);
    const rows = insertForecasts(ctx.db, ctx.runId, forecastRows(ctx));
    const models: Record<string, number> = {};
    for (const r of seriesRows) models[r.model] = (models[r.model] ?? 0) + 1;
    return {
      series: loaded.length,
      forecast: seriesRows.length,
      withoutForecast: loaded.length - seriesRows.length,
      forecastRows: rows,
      models,
      calibration,
      intervals,
      periodLevels,
      declaredImpacts: loaded.filter((s) => s.impacts.length > 0).length,
      selection,
      history: report,
      readSeconds,
      forecastSeconds,
      writeSeconds: clock(),
    };
  },
};

/** What the pages and later steps read of a series' forecast: its model, scores and levels. */
function seriesRow(
  s: LoadedSeries,
  forecast: NonNullable<ReturnType<BatchContext["forecasts"]["get"]>>,
  historyDays: number,
): SeriesRow {
  const heldOut = heldOutScore(s.input, forecast);
  return {
    articleId: s.article.id,
    storeId: s.store.id,
    model: forecast.model,
    demandClass: forecast.demandClass,
    backtestWape:
      forecast.backtest.total > 0 ? forecast.backtest.error / forecast.backtest.total : null,
    backtestError: forecast.backtest.error,
    backtestActual: forecast.backtest.total,
    backtestApeSum: forecast.backtest.apeSum,
    backtestApeWeeks: forecast.backtest.apeWeeks,
    heldOutError: heldOut?.error ?? null,
    heldOutActual: heldOut?.total ?? null,
    phi: forecast.phi,
    calibration: forecast.calibration,
    quietDays: forecast.quiet.now ? runWithoutSale(s.input.sales, historyDays).run : null,
    quietFactor: forecast.quiet.now ? forecast.quietFactor : null,
    periodLevel: forecast.periodLevel,
    scores: forecast.scores,
  };
}

/**
 * The series as the engine takes them, and the storing of a full reading's history cache, on a
 * thread of its own: the forecasting threads must not get their work before it settles (a
 * chain's peak was 330 MB higher when they started beside it), so that the raw history (8 bytes
 * per series and day: 440 MB for 50,000 series) is gone by then. It is not referenced here once
 * the series are built.
 */
async function readSeries(ctx: BatchContext) {
  const firstDay = ctx.today - ctx.settings.historyDays;
  const { history, report, cacheWritten } = await readHistory(
    ctx.db,
    { firstDay, endDay: ctx.today, firstIso: isoFromDay(firstDay), endIso: ctx.todayIso },
    { full: ctx.fullHistory, builtAt: ctx.now().toISOString() },
  );
  try {
    // Before the raw sales are consumed: what steps 5 and B score the stored forecasts against.
    ctx.weekSales = weekSalesOf(history.sales.series, firstDay, lastCompleteWeeks(ctx.today));
    return { loaded: loadSeries(ctx, history, true), report, cacheWritten };
  } catch (error) {
    // The cache's thread is let finish; its own failure, if any, is not left unhandled.
    await cacheWritten.catch(() => undefined);
    throw error;
  }
}

/** The pipeline the saved selections were made by: another pipeline's are not reused. */
const PIPELINE_KEY = `choices v1 ${JSON.stringify(DEFAULT_PIPELINE)}`;

/** The saved selections that still serve tonight (pipeline-spec.ts, selectionServes), by store id. */
function servingSelections(ctx: BatchContext): Map<number, SavedSelection> {
  const serving = new Map<number, SavedSelection>();
  for (const saved of readModelChoices(ctx.db, PIPELINE_KEY)) {
    if (selectionServes(saved.day, ctx.today)) serving.set(saved.storeId, saved);
  }
  return serving;
}

/** Saves tonight's new selections; what the report says of the stores' selections. */
function saveNewSelections(
  ctx: BatchContext,
  earlier: ReadonlyMap<number, SavedSelection>,
  selections: ReadonlyMap<number, StoreSelection>,
) {
  const fresh: SavedSelection[] = [];
  for (const [storeId, selection] of selections)
    if (!earlier.has(storeId)) fresh.push({ storeId, day: ctx.today, selection });
  saveModelChoices(ctx.db, PIPELINE_KEY, fresh);
  return {
    selectedTonight: fresh.length,
    // Stores with no series tonight have nothing refitted.
    refitted: [...earlier.values()]
      .filter((s) => selections.has(s.storeId))
      .map((s) => ({ store: s.storeId, selectedOn: isoFromDay(s.day) })),
  };
}

/** Seconds since the previous call (or since creation), to a tenth of a second. */
function phaseClock(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const seconds = Math.round((now - last) / 100) / 10;
    last = now;
    return seconds;
  };
}

function* forecastRows(ctx: BatchContext): Generator<ForecastRow> {
  const dates = Array.from({ length: ctx.settings.horizonDays }, (_, h) =>
    isoFromDay(ctx.today + h),
  );
  for (const s of ctx.series) {
    const f = ctx.forecasts.get(s.key);
    if (!f) continue;
    for (let h = 0; h < f.mean.length; h++) {
      const m = f.mean[h] as number;
      yield {
        articleId: s.article.id,
        storeId: s.store.id,
        date: dates[h] as string,
        forecast: Math.round(m * 1000) / 1000,
        // The band's levels were chosen on the held-out window to hold 8 days in 10.
        p10: demandQuantile(m, f.phi, f.interval.low),
        p50: demandQuantile(m, f.phi, 0.5),
        p90: demandQuantile(m, f.phi, f.interval.high),
      };
    }
  }
}

/**
 * Each store's closed days over the horizon, as its calendar has them (its weekly mask, less the
 * days it has always been closed on): the pages say "closed" there rather than show a forecast
 * of 0 as if it were one. Taken from the first series of each store: they share its calendar.
 */
function closedDaysAhead(loaded: readonly LoadedSeries[], ctx: BatchContext): ClosedDays {
  const { historyDays, horizonDays } = ctx.settings;
  const out: ClosedDays = {};
  for (const s of loaded) {
    if (out[s.store.id] !== undefined) continue;
    const days: string[] = [];
    for (let h = 0; h < horizonDays; h++)
      if (s.input.calendar.open[historyDays + h] === 0) days.push(isoFromDay(ctx.today + h));
    out[s.store.id] = days;
  }
  return out;
}
