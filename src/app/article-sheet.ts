import { seriesKey } from "../data/legacy/day-cache.js";
import { readArticleHistory, readStoreSaleDays } from "../data/legacy/read-article-history.js";
import type { Db } from "../data/open.js";
import {
  type AlertView,
  type ForecastView,
  type Publication,
  readAlerts,
  readForecasts,
} from "../data/optiflow/published-results.js";
import { getKpi } from "../data/optiflow/results-repository.js";
import { publishedOrderPolicy } from "../data/optiflow/runs-repository.js";
import {
  type DeclaredEvent,
  type FeedbackRecord,
  listEvents,
  listFeedback,
} from "../data/optiflow/user-input-repository.js";
import { addDays, dayFromIso, isoFromDay } from "../domain/calendar/days.js";
import { isMaskedDay, parseWeekdayMask } from "../domain/calendar/opening-days.js";
import { projectedStock } from "../domain/replenishment/projected-stock.js";
import type { OpenOrderLine } from "../domain/replenishment/stock-position.js";
import { arrivalsByDay } from "../domain/replenishment/stockout-day.js";

/** Days of history the sheet shows: thirteen weeks. */
export const SHEET_HISTORY_DAYS = 91;

export interface ArticleSheet {
  alert: AlertView;
  history: {
    date: string;
    sold: number | null;
    revenue: number | null;
    stockOut: boolean;
    closed: boolean;
  }[];
  forecasts: ForecastView[];
  /**
   * End-of-day stock ahead: forecast sales out (a sale the shelf cannot make is lost), open
   * orders in, and the suggested order in.
   */
  projection: { date: string; withoutOrder: number; withOrder: number }[];
  /** Each open line: units still to come, the expected day, the order's number (null: none). */
  openOrders: { quantity: number; expected: string | null; order: string | null }[];
  /** When the suggested order would arrive if placed today (t + L). */
  orderArrival: string;
  promotions: { label: string; start: string; end: string; discountPct: number }[];
  events: {
    name: string;
    type: string;
    start: string;
    end: string;
    source: "legacy" | "user";
    impactPct: number | null;
  }[];
  /** The article's weekly proof of precision when it is among the best sellers (step B). */
  proof: { weekStart: string; forecast: number; actual: number }[] | null;
  accuracySource: string | null;
  feedback: FeedbackRecord[];
  /** The policy `alert.suggestedQty` follows, so which of its quantity notes explain it. */
  orderPolicy: string | null;
}

/**
 * Everything about one article in one store on one screen (issue 16): its last thirteen weeks of
 * sales with stock-outs and closed days, the published forecast with its band, where the stock
 * goes with and without the suggested order, what is on order, promotions and events, and how
 * far its forecast can be trusted. Null when the article has no row in the published run.
 */
export function articleSheet(
  db: Db,
  publication: Publication,
  articleId: number,
  storeId: number,
  openOrders: ReadonlyMap<string, readonly OpenOrderLine[]>,
  storeSaleDays: (storeId: number, fromIso: string, toIso: string) => Set<string> = (s, f, t) =>
    readStoreSaleDays(db, s, f, t),
): ArticleSheet | null {
  const alert = readAlerts(db, publication.runId, { articleId, storeId })[0];
  if (!alert) return null;
  const today = dayFromIso(publication.today);
  const { history, raw } = sheetHistory(
    db,
    articleId,
    storeId,
    today,
    alert.categoryId,
    storeSaleDays,
  );
  const forecasts = readForecasts(db, publication.runId, articleId, storeId);
  const lines = openOrders.get(seriesKey(articleId, storeId)) ?? [];
  const arrival = today + alert.leadTime;
  const projection = project(
    forecasts,
    alert.onHand,
    lines,
    today,
    arrival,
    alert.suggestedQty ?? 0,
  );
  const proof = getKpi<{
    source: string;
    perArticle: { articleId: number; storeId: number; weeks: ArticleSheet["proof"] }[];
  }>(db, publication.runId, "accuracy_proof");
  return {
    alert,
    history,
    forecasts,
    projection,
    openOrders: lines.map((l) => ({
      quantity: l.quantity,
      expected: l.expectedDay === null ? null : isoFromDay(l.expectedDay),
      order: l.order ?? null,
    })),
    orderArrival: isoFromDay(arrival),
    promotions: raw.promotions,
    events: [
      ...raw.events.map((e) => ({ ...e, source: "legacy" as const, impactPct: null })),
      ...userEvents(listEvents(db), alert, storeId, publication.today),
    ],
    proof:
      proof?.perArticle.find((p) => p.articleId === articleId && p.storeId === storeId)?.weeks ??
      null,
    accuracySource: proof?.source ?? null,
    feedback: listFeedback(db).filter((f) => f.articleId === articleId && f.storeId === storeId),
    orderPolicy: publishedOrderPolicy(db, publication.runId),
  };
}

/**
 * The sheet's last days, each sold, out of stock or closed (a day the store's weekly mask closes,
 * or one it sold nothing at all), with the promotions and legacy events read with them.
 */
function sheetHistory(
  db: Db,
  articleId: number,
  storeId: number,
  today: number,
  categoryId: number | null,
  storeSaleDays: (storeId: number, fromIso: string, toIso: string) => Set<string>,
) {
  const fromIso = isoFromDay(today - SHEET_HISTORY_DAYS);
  const toIso = isoFromDay(today - 1);
  const raw = readArticleHistory(db, articleId, storeId, fromIso, toIso, categoryId);
  const sold = new Map(raw.sales.map((s) => [s.date, s]));
  const saleDays = storeSaleDays(storeId, fromIso, toIso);
  const mask = parseWeekdayMask(
    (
      db.prepare("SELECT jours_ouverture AS mask FROM magasins WHERE id = ?").get(storeId) as
        | { mask: string }
        | undefined
    )?.mask ?? null,
  );
  const outDays = stockOutDays(raw.stockOuts, today, toIso);
  const history = Array.from({ length: SHEET_HISTORY_DAYS }, (_, k) => {
    const day = today - SHEET_HISTORY_DAYS + k;
    const date = isoFromDay(day);
    const closed = !isMaskedDay(mask, day) || !saleDays.has(date);
    const s = sold.get(date);
    return {
      date,
      sold: closed ? null : (s?.quantity ?? 0),
      revenue: s?.revenue ?? null,
      stockOut: outDays.has(date),
      closed,
    };
  });
  return { history, raw };
}

/** The sheet's days inside a declared stock-out (one still open runs to yesterday). */
function stockOutDays(
  stockOuts: readonly { start: string; end: string | null }[],
  today: number,
  toIso: string,
): Set<string> {
  const days = new Set<string>();
  for (const r of stockOuts) {
    const end = Math.min(dayFromIso(r.end ?? toIso), today - 1);
    for (let d = Math.max(dayFromIso(r.start), today - SHEET_HISTORY_DAYS); d <= end; d++)
      days.add(isoFromDay(d));
  }
  return days;
}

function project(
  forecasts: readonly ForecastView[],
  onHand: number,
  lines: readonly OpenOrderLine[],
  today: number,
  arrival: number,
  suggested: number,
): ArticleSheet["projection"] {
  // Every open order, whatever `count_open_orders` says: the chart shows what will arrive.
  const arriving = arrivalsByDay(forecasts.length, lines, today, true);
  const sales = forecasts.map((f) => f.forecast);
  const { withoutOrder, withOrder } = projectedStock(
    sales,
    onHand,
    arriving,
    arrival - today,
    suggested,
  );
  return forecasts.map((f, h) => ({
    date: f.date,
    withoutOrder: withoutOrder[h] as number,
    withOrder: withOrder[h] as number,
  }));
}

/** The users' events that concern this article in this store, ahead or in the last 13 weeks. */
function userEvents(
  events: readonly DeclaredEvent[],
  alert: AlertView,
  storeId: number,
  todayIso: string,
): ArticleSheet["events"] {
  const from = addDays(todayIso, -SHEET_HISTORY_DAYS);
  return events
    .filter(
      (e) =>
        (e.storeId === null || e.storeId === storeId) &&
        (e.articleId === null || e.articleId === alert.articleId) &&
        (e.categoryId === null || e.categoryId === alert.categoryId) &&
        e.end >= from,
    )
    .map((e) => ({
      name: e.name,
      type: e.type,
      start: e.start,
      end: e.end,
      source: "user" as const,
      impactPct: e.impactPct,
    }));
}
