import { SharedArrays } from "../concurrency/shared-arrays.js";
import { seriesKey } from "../data/legacy/day-cache.js";
import type { PromotionRow } from "../data/legacy/read-calendar.js";
import type { LegacyArticle, LegacyStore } from "../data/legacy/read-catalog.js";
import { dayFromIso, isoFromDay, isValidIsoDate } from "../domain/calendar/days.js";
import { parseWeekdayMask, storeOpenDays, strayDays } from "../domain/calendar/opening-days.js";
import {
  appliesToStore,
  type DatedEvent,
  isLearnedInCalendar,
} from "../domain/calendar/store-events.js";
import type { DeclaredImpact } from "../domain/forecast/forecast-store.js";
import type { SeriesInput, StoreCalendar } from "../domain/forecast/model-input.js";

/** One article in one store, ready for the forecasting engine. */
export interface LoadedSeries {
  key: string;
  article: LegacyArticle;
  store: LegacyStore;
  input: SeriesInput;
  /** Number of known (uncensored, open) days of history. */
  knownDays: number;
  /** Declared impacts on this series' days (timeline indices), applied after the forecast. */
  impacts: DeclaredImpact[];
}

export interface SeriesSources {
  today: number;
  historyDays: number;
  horizonDays: number;
  stores: readonly LegacyStore[];
  articles: readonly LegacyArticle[];
  sales: ReadonlyMap<string, Float64Array>;
  /** Per store, the dates with at least one sale. */
  storeDays: ReadonlyMap<number, ReadonlySet<string>>;
  stockOuts: ReadonlyMap<string, readonly number[]>;
  /** Days a user flagged as not representative (feedback on past days). */
  excludedDays: ReadonlyMap<string, readonly number[]>;
  /** Legacy events, public holidays and the users' events (already checked). */
  events: readonly DatedEvent[];
  promotions: readonly PromotionRow[];
  /**
   * The learned effect of an event type for a category, as a factor (1.2 for +20%), or null:
   * what a scoped event declared without an impact applies (it cannot enter the store's
   * calendar, shared by every series).
   */
  learnedFactor?: (type: string, categoryId: number | null) => number | null;
  /**
   * Called once a series' raw sales have been copied into its input: lets the caller drop
   * them, so that a large base never holds the raw history and the inputs at once.
   */
  onSalesUsed?: (key: string) => void;
  /** Where the inputs' arrays are carved (simulate recycles one between its origins). */
  arrays?: SharedArrays;
}

/**
 * Maps the legacy rows to the engine's inputs: one calendar per store (opening days observed in
 * the history and expected ahead, event indicators by type) and one series per active article
 * and store, with censored, closed and pre-listing days as NaN and promotions as discounts.
 */
export function buildSeries(src: SeriesSources): {
  calendars: Map<number, StoreCalendar>;
  series: LoadedSeries[];
} {
  const firstDay = src.today - src.historyDays;
  const length = src.historyDays + src.horizonDays;
  const calendars = new Map(
    src.stores.map((s) => [s.id, buildStoreCalendar(s, src, firstDay, length)]),
  );
  // Dates parsed once: a category's promotions apply to each of its thousands of series.
  const promotions = src.promotions.flatMap(datedPromotion);
  const promotionsByArticle = groupBy(
    promotions.filter((p) => p.articleId !== null),
    (p) => p.articleId as number,
  );
  const promotionsByCategory = groupBy(
    promotions.filter((p) => p.articleId === null && p.categoryId !== null),
    (p) => p.categoryId as number,
  );
  // The inputs cross to the forecasting threads, which only read them: shared, not copied.
  const arrays = src.arrays ?? new SharedArrays();
  const discounts = new DiscountArrays(arrays, length, firstDay);
  const series: LoadedSeries[] = [];
  for (const store of src.stores) {
    const calendar = calendars.get(store.id) as StoreCalendar;
    for (const article of src.articles) {
      if (!article.active) continue;
      const key = seriesKey(article.id, store.id);
      const sales = arrays.float64(length).fill(Number.NaN);
      const raw = src.sales.get(key);
      const created = isValidIsoDate(article.createdOn.slice(0, 10))
        ? dayFromIso(article.createdOn.slice(0, 10))
        : firstDay;
      let knownDays = 0;
      for (let i = Math.max(0, created - firstDay); i < src.historyDays; i++) {
        if (calendar.open[i] !== 1) continue;
        sales[i] = Math.max(0, raw ? (raw[i] as number) : 0);
        knownDays++;
      }
      src.onSalesUsed?.(key);
      for (const list of [src.stockOuts.get(key), src.excludedDays.get(key)]) {
        for (const day of list ?? []) {
          const i = day - firstDay;
          if (i >= 0 && i < src.historyDays && Number.isFinite(sales[i] as number)) {
            sales[i] = Number.NaN;
            knownDays--;
          }
        }
      }
      const promotions = [
        ...(promotionsByArticle.get(article.id) ?? []),
        ...(article.categoryId === null
          ? []
          : (promotionsByCategory.get(article.categoryId) ?? [])),
      ];
      const discount = discounts.of(promotions, store.id);
      series.push({
        key,
        article,
        store,
        input: { sales, discount, calendar },
        knownDays,
        impacts: seriesImpacts(src, store.id, article, firstDay, length),
      });
    }
  }
  return { calendars, series };
}

function buildStoreCalendar(
  store: LegacyStore,
  src: SeriesSources,
  firstDay: number,
  length: number,
): StoreCalendar {
  const days = src.storeDays.get(store.id) ?? new Set<string>();
  const stray = strayDays(storeTotals(store, src));
  const open = storeOpenDays(
    parseWeekdayMask(store.openingMask),
    (day) => days.has(isoFromDay(day)),
    firstDay,
    src.historyDays,
    length,
    (day) => stray.has(day - firstDay),
  );
  const byType = new Map<string, Uint8Array>();
  const mark = (active: Uint8Array, from: number, to: number, value: 0 | 1) => {
    for (let day = Math.max(from, firstDay); day <= to && day < firstDay + length; day++)
      active[day - firstDay] = value;
  };
  for (const event of src.events) {
    if (!appliesToStore(event, store.id) || !isLearnedInCalendar(event)) continue;
    const active = byType.get(event.type) ?? new Uint8Array(length);
    mark(active, event.startDay, event.endDay, 1);
    byType.set(event.type, active);
  }
  // A store-wide event declared with an impact replaces the learned effect of its type on its
  // days ahead (SPEC §5): never both.
  for (const event of src.events) {
    if (event.source !== "user" || event.impactPct === null || !appliesToStore(event, store.id))
      continue;
    if (event.articleId !== null || event.categoryId !== null) continue;
    const active = byType.get(event.type);
    if (active) mark(active, Math.max(event.startDay, src.today), event.endDay, 0);
  }
  return {
    firstDay,
    length,
    open,
    events: [...byType.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, active]) => ({ type, active })),
  };
}

/** The store's units sold per history day, over all its articles. */
function storeTotals(store: LegacyStore, src: SeriesSources): Float64Array {
  const totals = new Float64Array(src.historyDays);
  for (const article of src.articles) {
    const raw = src.sales.get(seriesKey(article.id, store.id));
    if (!raw) continue;
    for (let i = 0; i < src.historyDays; i++) {
      const v = raw[i] as number;
      if (v > 0) totals[i] = (totals[i] as number) + v;
    }
  }
  return totals;
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

interface DatedPromotion {
  articleId: number | null;
  categoryId: number | null;
  storeId: number | null;
  startDay: number;
  endDay: number;
  /** The discount as a share, 0..1. */
  value: number;
}

/** A promotion with its days as numbers; none when a date is unreadable. */
function datedPromotion(p: PromotionRow): DatedPromotion[] {
  if (!isValidIsoDate(p.start) || !isValidIsoDate(p.end)) return [];
  return [
    {
      articleId: p.articleId,
      categoryId: p.categoryId,
      storeId: p.storeId,
      startDay: dayFromIso(p.start),
      endDay: dayFromIso(p.end),
      value: Math.min(1, Math.max(0, p.discountPct / 100)),
    },
  ];
}

/**
 * One discount array per distinct set of promotions, shared by every series it applies to: a
 * chain-wide promotion gives the same days to the article in every store, and the articles of a
 * category without their own promotions all have the category's. On 5 stores × 10,000 articles
 * the arrays (4 bytes per series and day) were ≈ 230 MB, mostly identical copies. Sharing is
 * safe because nobody writes an input once it is built (shared-arrays.ts).
 */
class DiscountArrays {
  private readonly bySet = new Map<string, Float32Array>();
  private readonly ids = new Map<DatedPromotion, number>();

  constructor(
    private readonly arrays: SharedArrays,
    private readonly length: number,
    private readonly firstDay: number,
  ) {}

  of(promotions: readonly DatedPromotion[], storeId: number): Float32Array {
    const applying = promotions.filter((p) => p.storeId === null || p.storeId === storeId);
    const key = applying.map((p) => this.idOf(p)).join(",");
    let discount = this.bySet.get(key);
    if (!discount) {
      discount = promotionDiscounts(this.arrays.float32(this.length), applying, this.firstDay);
      this.bySet.set(key, discount);
    }
    return discount;
  }

  private idOf(p: DatedPromotion): number {
    let id = this.ids.get(p);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(p, id);
    }
    return id;
  }
}

/** The deepest discount of the promotions given (those that apply to the series), per day. */
function promotionDiscounts(
  discount: Float32Array,
  promotions: readonly DatedPromotion[],
  firstDay: number,
): Float32Array {
  const length = discount.length;
  for (const p of promotions) {
    for (
      let day = Math.max(p.startDay, firstDay);
      day <= p.endDay && day < firstDay + length;
      day++
    ) {
      const i = day - firstDay;
      discount[i] = Math.max(discount[i] as number, p.value);
    }
  }
  return discount;
}

/**
 * The impacts users declared that fall on this series: their expected impact where they gave
 * one; for an event scoped to a category or an article without one, the effect learned for its
 * type and category (store-wide ones without impact are in the calendar, learned by the model).
 */
function seriesImpacts(
  src: SeriesSources,
  storeId: number,
  article: LegacyArticle,
  firstDay: number,
  length: number,
): DeclaredImpact[] {
  const impacts: DeclaredImpact[] = [];
  for (const event of src.events) {
    if (event.source !== "user" || !appliesToStore(event, storeId)) continue;
    if (event.articleId !== null && event.articleId !== article.id) continue;
    if (event.categoryId !== null && event.categoryId !== article.categoryId) continue;
    const factor =
      event.impactPct !== null
        ? 1 + event.impactPct / 100
        : event.articleId !== null || event.categoryId !== null
          ? (src.learnedFactor?.(event.type, article.categoryId) ?? null)
          : null;
    if (factor === null) continue;
    const from = Math.max(0, event.startDay - firstDay);
    const to = Math.min(length - 1, event.endDay - firstDay);
    if (from <= to) impacts.push({ from, to, factor });
  }
  return impacts;
}
