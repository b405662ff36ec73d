import { SharedArrays } from "../concurrency/shared-arrays.js";
import { seriesKey } from "../data/legacy/day-cache.js";
import {
  type CalendarEventRow,
  type PromotionRow,
  readCalendarEvents,
  readPromotions,
} from "../data/legacy/read-calendar.js";
import {
  type LegacyArticle,
  type LegacyStore,
  readArticles,
  readStores,
} from "../data/legacy/read-catalog.js";
import { readDailySales, readStockOutDays } from "../data/legacy/read-sales.js";
import type { Db } from "../data/open.js";
import { type FeedbackRow, readFeedback } from "../data/optiflow/results-repository.js";
import { dayFromIso, isoFromDay, isValidIsoDate } from "../domain/calendar/days.js";
import {
  type DatedEvent,
  isLearnedInCalendar,
  missingPublicHolidays,
} from "../domain/calendar/store-events.js";
import { learnEventEffects } from "../domain/forecast/event-effects.js";
import { declaredEventProblem } from "../domain/user-input/declared-event.js";
import { type FeedbackInput, feedbackProblem } from "../domain/user-input/forecast-feedback.js";
import type { BatchContext } from "./batch-context.js";
import { buildSeries, type LoadedSeries } from "./load-series.js";
import type { SalesHistory } from "./read-history-in-workers.js";

type SeriesContext = Pick<
  BatchContext,
  "db" | "today" | "todayIso" | "stores" | "articles" | "series"
> & {
  settings: Pick<BatchContext["settings"], "country" | "historyDays" | "horizonDays">;
};

/**
 * What the series are built from besides the sales: tables read whole, the same at any origin.
 * `optiflow simulate` reads them once for its 13 origins (0.3 s each on 10,000 articles).
 */
export interface SeriesCatalog {
  stores: LegacyStore[];
  articles: LegacyArticle[];
  calendar: CalendarEventRow[];
  promotions: PromotionRow[];
  feedback: FeedbackRow[];
}

export function readSeriesCatalog(db: Db): SeriesCatalog {
  return {
    stores: readStores(db),
    articles: readArticles(db),
    calendar: readCalendarEvents(db),
    promotions: readPromotions(db),
    feedback: readFeedback(db),
  };
}

/**
 * Every active article × store as the forecasting engine takes it (load-series.ts), read from
 * the legacy tables and Optiflow's user inputs: sales (already read by step 2's workers when
 * given), stock-outs, feedback days left out, promotions, and the store calendars with the
 * public holidays the legacy events lack. With `consume`, the given history's sales are
 * removed from it as the inputs are built (step 2: 440 MB less at once on 50,000 series).
 */
export function loadSeries(
  ctx: SeriesContext,
  preRead?: SalesHistory,
  consume = false,
  /** Where the inputs' arrays are carved; new blocks by default. */
  arrays?: SharedArrays,
  catalog: SeriesCatalog = readSeriesCatalog(ctx.db),
): LoadedSeries[] {
  const { historyDays, horizonDays } = ctx.settings;
  const firstDay = ctx.today - historyDays;
  const firstIso = isoFromDay(firstDay);
  ctx.stores = catalog.stores;
  const { articles } = catalog;
  ctx.articles = new Map(articles.map((a) => [a.id, a]));
  const sales =
    preRead?.sales ?? readDailySales(ctx.db, firstDay, ctx.today, firstIso, ctx.todayIso);
  const events = calendarEvents(ctx, catalog.calendar, firstDay, ctx.today + horizonDays - 1);
  const sources = {
    today: ctx.today,
    historyDays,
    horizonDays,
    stores: ctx.stores,
    articles,
    sales: sales.series,
    storeDays: sales.storeDays,
    stockOuts:
      preRead?.stockOuts ?? readStockOutDays(ctx.db, firstDay, ctx.today, firstIso, ctx.todayIso),
    excludedDays: feedbackDays(ctx, catalog.feedback),
    events,
    promotions: catalog.promotions,
    arrays: arrays ?? (preRead?.spare ? new SharedArrays(undefined, preRead.spare) : undefined),
  };
  // A user event scoped to a category or an article, declared without an impact, takes the
  // effect learned for its type: learned from the series themselves, so a second pass.
  const secondPass = events.some(
    (e) => e.source === "user" && e.impactPct === null && !isLearnedInCalendar(e),
  );
  const release =
    consume && preRead ? (key: string) => preRead.sales.series.delete(key) : undefined;
  let { series } = buildSeries({ ...sources, onSalesUsed: secondPass ? undefined : release });
  if (secondPass) {
    const effects = learnEventEffects(
      series.map((s) => ({ categoryId: s.article.categoryId ?? 0, input: s.input })),
      historyDays,
    );
    const byKey = new Map(effects.map((e) => [`${e.type}|${e.categoryId}`, e.effectPct]));
    ({ series } = buildSeries({
      ...sources,
      onSalesUsed: release,
      learnedFactor: (type, categoryId) => {
        const pct = byKey.get(`${type}|${categoryId ?? 0}`);
        return pct === undefined ? null : 1 + pct / 100;
      },
    }));
  }
  ctx.series = series;
  return series;
}

/** Legacy events, the users' (unusable ones skipped: step 1 lists them) and missing holidays. */
function calendarEvents(
  ctx: SeriesContext,
  rows: readonly CalendarEventRow[],
  firstDay: number,
  lastDay: number,
): DatedEvent[] {
  const events: DatedEvent[] = [];
  for (const row of rows) {
    if (row.source === "user" && declaredEventProblem(row)) continue;
    if (!isValidIsoDate(row.start) || !isValidIsoDate(row.end)) continue;
    events.push({
      type: row.type,
      startDay: dayFromIso(row.start),
      endDay: dayFromIso(row.end),
      storeId: row.storeId,
      categoryId: row.categoryId,
      articleId: row.articleId,
      impactPct: row.source === "user" ? row.impactPct : null,
      source: row.source,
    });
  }
  return [...events, ...missingPublicHolidays(events, ctx.settings.country, firstDay, lastDay)];
}

/** Days users flagged as not representative: left out of the fit. */
function feedbackDays(ctx: SeriesContext, feedback: readonly FeedbackRow[]): Map<string, number[]> {
  const excluded = new Map<string, number[]>();
  for (const f of feedback) {
    if (feedbackProblem({ ...f, comment: null } as FeedbackInput)) continue;
    const day = dayFromIso(f.date);
    if (day >= ctx.today) continue;
    const key = seriesKey(f.articleId, f.storeId);
    excluded.set(key, [...(excluded.get(key) ?? []), day]);
  }
  return excluded;
}
