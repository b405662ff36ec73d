import { seriesKey } from "../../data/legacy/day-cache.js";
import {
  type CalendarEventRow,
  readCalendarEvents,
  readPromotions,
} from "../../data/legacy/read-calendar.js";
import { readArticles, readStores } from "../../data/legacy/read-catalog.js";
import { readDailySales, readStockOutDays } from "../../data/legacy/read-sales.js";
import {
  type ForecastRow,
  insertForecasts,
  insertSeries,
  readFeedback,
  type SeriesRow,
} from "../../data/optiflow/results-repository.js";
import { dayFromIso, isoFromDay, isValidIsoDate } from "../../domain/calendar/days.js";
import {
  applyCalibration,
  type CalibrationSample,
  calibrationFactor,
  learnCalibration,
} from "../../domain/forecast/calibration.js";
import { type WeekdayProfile, weekdayProfile } from "../../domain/forecast/category-profile.js";
import { demandQuantile } from "../../domain/forecast/quantiles.js";
import { declaredEventProblem } from "../../domain/user-input/declared-event.js";
import { type FeedbackInput, feedbackProblem } from "../../domain/user-input/forecast-feedback.js";
import type { BatchContext, BatchStep } from "../batch-context.js";
import { forecastInWorkers } from "../forecast-in-workers.js";
import { type ForecastJobResult, MIN_DAYS_FOR_OWN_MODEL } from "../forecast-job.js";
import { buildSeries, type LoadedSeries } from "../load-series.js";
import { readHistoryInWorkers, type SalesHistory } from "../read-history-in-workers.js";

/** Step 2: daily sales forecasts for every active article × store, horizon ≥ 60 days. */
export const predictSalesStep: BatchStep = {
  id: "2",
  name: "prévision des ventes",
  needs: [],
  async run(ctx) {
    // Phase durations are recorded with the step's counts: where a long step spends its time.
    const clock = phaseClock();
    const firstDay = ctx.today - ctx.settings.historyDays;
    const history = await readHistoryInWorkers(ctx.db, {
      firstDay,
      endDay: ctx.today,
      firstIso: isoFromDay(firstDay),
      endIso: ctx.todayIso,
    });
    const loaded = loadSeries(ctx, history);
    const readSeconds = clock();
    const profiles = categoryProfiles(loaded, ctx.settings.historyDays);
    const declared = readDeclaredEvents(ctx);
    const results = await forecastInWorkers(
      {
        series: loaded.map((s) => ({
          key: s.key,
          input: s.input,
          knownDays: s.knownDays,
          categoryId: s.article.categoryId,
        })),
        origin: ctx.settings.historyDays,
        horizon: ctx.settings.horizonDays,
        profiles: [...profiles.entries()],
      },
      (done, total) => ctx.progress("prévisions", done, total),
    );
    const byKey = new Map(loaded.map((s) => [s.key, s]));
    const calibration = calibrateByStore(results, byKey);
    const forecastSeconds = clock();
    const seriesRows: SeriesRow[] = [];
    let withoutForecast = 0;
    for (const { key, forecast } of results) {
      const s = byKey.get(key) as LoadedSeries;
      if (!forecast) {
        withoutForecast++;
        continue;
      }
      applyDeclaredImpacts(declared, ctx.today, s, forecast.mean);
      ctx.forecasts.set(key, forecast);
      seriesRows.push({
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
        phi: forecast.phi,
        calibration: forecast.calibration,
        scores: forecast.scores,
      });
    }
    insertSeries(ctx.db, ctx.runId, seriesRows);
    const rows = insertForecasts(ctx.db, ctx.runId, forecastRows(ctx));
    const models: Record<string, number> = {};
    for (const r of seriesRows) models[r.model] = (models[r.model] ?? 0) + 1;
    return {
      series: loaded.length,
      forecast: seriesRows.length,
      withoutForecast,
      forecastRows: rows,
      models,
      calibration,
      readSeconds,
      forecastSeconds,
      writeSeconds: clock(),
    };
  },
};

/**
 * Rescales each store's forecasts by the factor learned from its series' backtest weeks for
 * their demand class (src/domain/forecast/calibration.ts). Series that borrowed their category's
 * profile had no backtest and keep their forecast. Returns the factors, per store id and class.
 */
function calibrateByStore(
  results: readonly ForecastJobResult[],
  byKey: ReadonlyMap<string, LoadedSeries>,
): Record<string, Record<string, number>> {
  const samples = new Map<number, CalibrationSample[]>();
  const storeOf = (key: string) => (byKey.get(key) as LoadedSeries).store.id;
  for (const { key, forecast } of results) {
    if (!forecast || forecast.backtestWeeks.length === 0) continue;
    const list = samples.get(storeOf(key)) ?? [];
    list.push(forecast);
    samples.set(storeOf(key), list);
  }
  const byStore = new Map([...samples].map(([store, list]) => [store, learnCalibration(list)]));
  for (const { key, forecast } of results) {
    const calibration = byStore.get(storeOf(key));
    if (!forecast || !calibration || forecast.backtestWeeks.length === 0) continue;
    const factor = calibrationFactor(calibration, forecast.demandClass);
    applyCalibration(forecast, factor);
    forecast.calibration = factor;
  }
  return Object.fromEntries(
    [...byStore].map(([store, calibration]) => [
      String(store),
      Object.fromEntries([...calibration].map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
    ]),
  );
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

export function loadSeries(
  ctx: Pick<
    BatchContext,
    "db" | "today" | "todayIso" | "settings" | "stores" | "articles" | "series"
  >,
  /** The sales and stock-outs, when already read (in worker threads by step 2). */
  preRead?: SalesHistory,
): LoadedSeries[] {
  const { historyDays, horizonDays } = ctx.settings;
  const firstDay = ctx.today - historyDays;
  const firstIso = isoFromDay(firstDay);
  ctx.stores = readStores(ctx.db);
  const articles = readArticles(ctx.db);
  ctx.articles = new Map(articles.map((a) => [a.id, a]));
  const excludedDays = new Map<string, number[]>();
  for (const f of readFeedback(ctx.db)) {
    // Unusable rows are skipped here and listed by step 1.
    if (
      feedbackProblem({ ...f, comment: null } as FeedbackInput) ||
      dayFromIso(f.date) >= ctx.today
    )
      continue;
    const key = seriesKey(f.articleId, f.storeId);
    excludedDays.set(key, [...(excludedDays.get(key) ?? []), dayFromIso(f.date)]);
  }
  const sales =
    preRead?.sales ?? readDailySales(ctx.db, firstDay, ctx.today, firstIso, ctx.todayIso);
  const { series } = buildSeries({
    today: ctx.today,
    historyDays,
    horizonDays,
    stores: ctx.stores,
    articles,
    sales: sales.series,
    storeDays: sales.storeDays,
    stockOuts:
      preRead?.stockOuts ?? readStockOutDays(ctx.db, firstDay, ctx.today, firstIso, ctx.todayIso),
    excludedDays,
    events: usableCalendarEvents(ctx.db),
    promotions: readPromotions(ctx.db),
  });
  ctx.series = series;
  return series;
}

export function categoryProfiles(
  series: readonly LoadedSeries[],
  origin: number,
): Map<number | null, WeekdayProfile> {
  const byCategory = new Map<number | null, LoadedSeries[]>();
  for (const s of series) {
    if (s.knownDays < MIN_DAYS_FOR_OWN_MODEL) continue;
    byCategory.set(s.article.categoryId, [...(byCategory.get(s.article.categoryId) ?? []), s]);
  }
  const profiles = new Map<number | null, WeekdayProfile>();
  for (const [category, members] of byCategory)
    profiles.set(
      category,
      weekdayProfile(
        members.slice(0, 200).map((m) => m.input),
        origin,
      ),
    );
  profiles.set(
    null,
    weekdayProfile(
      series
        .filter((s) => s.knownDays >= MIN_DAYS_FOR_OWN_MODEL)
        .slice(0, 500)
        .map((s) => s.input),
      origin,
    ),
  );
  return profiles;
}

/**
 * Events users declared for an article or a category, or with an expected impact, adjust the
 * forecast directly on their days (store-wide events without impact are learned by the model).
 */
function applyDeclaredImpacts(
  declared: readonly DeclaredEvent[],
  today: number,
  s: LoadedSeries,
  mean: Float64Array,
): void {
  for (const event of declared) {
    if (event.storeId !== null && event.storeId !== s.store.id) continue;
    if (event.articleId !== null && event.articleId !== s.article.id) continue;
    if (event.categoryId !== null && event.categoryId !== s.article.categoryId) continue;
    if (event.impactPct === null) continue;
    for (
      let day = Math.max(event.startDay, today);
      day <= event.endDay && day - today < mean.length;
      day++
    ) {
      const h = day - today;
      mean[h] = Math.max(0, (mean[h] as number) * (1 + event.impactPct / 100));
    }
  }
}

interface DeclaredEvent {
  storeId: number | null;
  articleId: number | null;
  categoryId: number | null;
  impactPct: number | null;
  startDay: number;
  endDay: number;
}

/** Legacy events, and the users' events that pass the domain's rules (step 1 lists the others). */
function usableCalendarEvents(db: BatchContext["db"]): CalendarEventRow[] {
  return readCalendarEvents(db).filter((e) => e.source === "legacy" || !declaredEventProblem(e));
}

function readDeclaredEvents(ctx: BatchContext): DeclaredEvent[] {
  return usableCalendarEvents(ctx.db)
    .filter((e) => e.source === "user" && isValidIsoDate(e.start) && isValidIsoDate(e.end))
    .map((e) => ({ ...e, startDay: dayFromIso(e.start), endDay: dayFromIso(e.end) }));
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
        p10: demandQuantile(m, f.phi, 0.1),
        p50: demandQuantile(m, f.phi, 0.5),
        p90: demandQuantile(m, f.phi, 0.9),
      };
    }
  }
}
