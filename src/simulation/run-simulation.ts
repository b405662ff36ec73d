import { HISTORY_DAYS } from "../batch/batch-context.js";
import { readHistoryInWorkers } from "../batch/read-history-in-workers.js";
import { readSeriesCatalog, type SeriesCatalog } from "../batch/read-series.js";
import { seriesKey } from "../data/legacy/day-cache.js";
import type { LegacyArticle, LegacyStore } from "../data/legacy/read-catalog.js";
import { readDeliveries } from "../data/legacy/read-deliveries.js";
import { type PeriodOrders, readPeriodOrders } from "../data/legacy/read-period-orders.js";
import { readStockHistory, type StockHistory, stockOn } from "../data/legacy/read-stock.js";
import type { Db } from "../data/open.js";
import { isoFromDay } from "../domain/calendar/days.js";
import { parseWeekdayMask } from "../domain/calendar/opening-days.js";
import type { Country } from "../domain/calendar/store-events.js";
import { abcClasses, type ServiceLevels } from "../domain/replenishment/abc-xyz.js";
import type { DeliveryLines } from "../domain/replenishment/delivery-lines.js";
import { leadTimeDays } from "../domain/replenishment/lead-time.js";
import {
  type DeliveryRecord,
  leadTimeFor,
  MIN_ARTICLE_OBSERVATIONS,
  observedLeadTimes,
} from "../domain/replenishment/observed-lead-time.js";
import type { OrderPolicy } from "../domain/settings/settings.js";
import {
  addFigures,
  emptyFigures,
  type PeriodFigures,
  type Savings,
  savingsOf,
  unitEconomics,
} from "../domain/simulation/outcome.js";
import { keepHeapNearLiveSize } from "../memory/heap-growth.js";
import { type AsOfResult, asOfForecasts } from "./as-of-forecasts.js";
import { replayInWorkers } from "./replay-in-workers.js";
import type { ReplaySeries } from "./replay-job.js";
import { HELD_OUT_DAYS } from "./replay-period-levels.js";

/**
 * `optiflow simulate` (issue 15): the ordering policy replayed day by day over past weeks of the
 * retailer's own history, against what really happened. Reads the legacy tables only.
 */
export interface SimulationOptions {
  /** First day of the period (day number) and its length in weeks. */
  from: number;
  weeks: number;
  policies: readonly OrderPolicy[];
  marginPct: number;
  storeId: number | null;
  countOpenOrders: boolean;
  serviceLevels: ServiceLevels;
  carryingCostRate: number;
  country: Country;
  onProgress?: (phase: "forecasts" | "replay", done: number, total: number) => void;
}

export interface SeriesOutcome {
  articleId: number;
  storeId: number;
  reference: string;
  name: string;
  storeCode: string;
  policy: OrderPolicy;
  optiflow: PeriodFigures;
  actual: PeriodFigures;
  savings: Savings;
  estimatedDays: number;
  /** Day indices of the replay's orders (an order is one supplier on one day). */
  orderDays: number[];
}

export interface PolicyOutcome {
  policy: OrderPolicy;
  optiflow: PeriodFigures;
  actual: PeriodFigures;
  /**
   * `formula` in French (the CLI, and the replays stored before the two figures the pages now
   * write it with in the reader's language: the carrying cost in % a year and the days replayed).
   */
  savings: Savings & { formula: string; carryingRatePct: number; days: number };
  byStore: {
    storeId: number;
    storeCode: string;
    optiflow: PeriodFigures;
    actual: PeriodFigures;
    savings: Savings;
  }[];
  /** The ten series where the replay did worst (most negative savings), honestly shown. */
  worst: { articleId: number; reference: string; name: string; storeCode: string; delta: number }[];
}

export interface SimulationResult {
  from: string;
  to: string;
  weeks: number;
  storeId: number | null;
  marginPct: number;
  carryingCostRate: number;
  series: number;
  /** Series left out: no stock history at the start, or no forecast at the first origin. */
  skipped: { noStockHistory: number; noForecast: number };
  estimatedDemandDays: number;
  policies: PolicyOutcome[];
  rows: SeriesOutcome[];
}

const HORIZON_DAYS = 63;
const WORST = 10;

export async function runSimulation(db: Db, options: SimulationOptions): Promise<SimulationResult> {
  // As the batch does: `optiflow simulate` is a process of its own, whose short-lived rows
  // would otherwise grow V8's heap to several times what lives.
  keepHeapNearLiveSize();
  const days = options.weeks * 7;
  const to = options.from + days;
  // The period's orders, stock and a year of deliveries first: their reading's short-lived
  // objects then fall in a heap the forecasts reuse, instead of growing the process at the end
  // (10,000 articles: peak 1,167 MiB read last, 1,078–1,086 MiB read first).
  const catalog = readSeriesCatalog(db);
  const period = readPeriod(db, options.from, to, new Map(catalog.articles.map((a) => [a.id, a])));
  const { history, asOf, fromIndex } = await periodForecasts(db, options, catalog);
  const classes = abcAt(history.sales.series, asOf, fromIndex);
  // The replay reads the period's sales only: three years of them need not outlive the forecasts.
  for (const [key, values] of history.sales.series)
    history.sales.series.set(key, values.slice(fromIndex, fromIndex + days));
  const stores = asOf.stores.filter((s) => options.storeId === null || s.id === options.storeId);
  const candidates = stores.flatMap((store) =>
    [...asOf.articles.values()].filter((a) => a.active).map((article) => ({ store, article })),
  );
  const { jobs, skipped } = replayJobs(candidates, { history, period, asOf, classes }, options);
  // The replays themselves are independent per series: on the worker threads (progress: the
  // inputs above are the first half, the replays the second).
  const { rows, estimatedDays: estimatedDemandDays } = await replayInWorkers(
    {
      series: jobs,
      received: [...period.orders.leadTimesBySupplier],
      policies: options.policies,
      carryingCostRate: options.carryingCostRate,
    },
    (done, total) =>
      options.onProgress?.(
        "replay",
        candidates.length + Math.round((done / total) * candidates.length),
        2 * candidates.length,
      ),
  );
  return {
    from: isoFromDay(options.from),
    to: isoFromDay(to - 1),
    weeks: options.weeks,
    storeId: options.storeId,
    marginPct: options.marginPct,
    carryingCostRate: options.carryingCostRate,
    series: rows.length / Math.max(1, options.policies.length),
    skipped,
    estimatedDemandDays,
    policies: options.policies.map((p) =>
      summarise(
        p,
        rows.filter((r) => r.policy === p),
        period.orders,
        stores,
        asOf.articles,
        options,
        days,
      ),
    ),
    rows,
  };
}

/**
 * The sales history and the forecasts the batch would have made at each weekly origin, with a
 * warm-up origin 28 days before the first (its forecasts give the first origins their period
 * levels), which reads its own history window: the history starts that much earlier, and the
 * period's first day is at `fromIndex` in its arrays.
 */
async function periodForecasts(db: Db, options: SimulationOptions, catalog: SeriesCatalog) {
  const warmUp = options.from - HELD_OUT_DAYS;
  const firstDay = warmUp - HISTORY_DAYS;
  const to = options.from + options.weeks * 7;
  const history = await readHistoryInWorkers(db, {
    firstDay,
    endDay: to,
    firstIso: isoFromDay(firstDay),
    endIso: isoFromDay(to),
  });
  const origins = Array.from({ length: options.weeks }, (_, k) => options.from + 7 * k);
  const asOf = await asOfForecasts(
    db,
    history,
    firstDay,
    origins,
    { country: options.country, historyDays: HISTORY_DAYS, horizonDays: HORIZON_DAYS },
    options.storeId,
    // The warm-up origin counts in the progress: it is one forecast night more.
    (k, done, total) =>
      options.onProgress?.("forecasts", k * total + done, (origins.length + 1) * total),
    catalog,
    warmUp,
  );
  return { history, asOf, fromIndex: options.from - firstDay };
}

/** What a series' replay needs, read on this thread: one per series listed on the first day. */
function replayJobs(
  candidates: readonly { store: LegacyStore; article: LegacyArticle }[],
  { history, period, asOf, classes }: ReplaySources,
  options: SimulationOptions,
): { jobs: ReplaySeries[]; skipped: SimulationResult["skipped"] } {
  const days = options.weeks * 7;
  const jobs: ReplaySeries[] = [];
  const skipped = { noStockHistory: 0, noForecast: 0 };
  const openDays = storeOpenDays(
    candidates.map((c) => c.store),
    history.sales.storeDays,
    options.from,
    days,
  );
  for (const [n, { store, article }] of candidates.entries()) {
    const key = seriesKey(article.id, store.id);
    if (!asOf.byOrigin[0]?.has(key)) {
      // Not listed yet, or nothing to forecast from, on the first day: nothing to replay.
      if (asOf.byOrigin.some((m) => m.has(key))) skipped.noForecast++;
      continue;
    }
    const stock = stockPath(period.stock, key, options.from, days);
    if (!stock) {
      skipped.noStockHistory++;
      continue;
    }
    const open = openDays.get(store.id) as Uint8Array;
    const serviceLevel = options.serviceLevels[classes.get(key) ?? "C"];
    const replay = replayInput(key, article, open, history, period, asOf, options, {
      initialStock: stock.initial,
      serviceLevel,
    });
    jobs.push({
      articleId: article.id,
      storeId: store.id,
      reference: article.reference,
      name: article.name,
      storeCode: store.code,
      ...replay,
      articleLeadTimes: period.articleLeadTimes.get(article.id) ?? null,
      eco: unitEconomics(article.purchasePrice, article.shelfPrice, article.vatRate),
      actual: {
        endStock: stock.path,
        orderLines: period.orders.linesBySeries.get(key) ?? 0,
        receipts: dayIndexed(period.orders.receivedInPeriod.get(key), options.from),
      },
    });
    options.onProgress?.("replay", n + 1, 2 * candidates.length);
  }
  return { jobs, skipped };
}

/** What the replays are read from. */
interface ReplaySources {
  history: Awaited<ReturnType<typeof readHistoryInWorkers>>;
  period: ReturnType<typeof readPeriod>;
  asOf: AsOfResult;
  /** ABC class per series key, at the start of the period. */
  classes: ReadonlyMap<string, "A" | "B" | "C">;
}

/** Per store, the period's days it sold anything (it was open): shared by its series. */
function storeOpenDays(
  stores: readonly LegacyStore[],
  storeDays: ReadonlyMap<number, ReadonlySet<string>>,
  from: number,
  days: number,
): Map<number, Uint8Array> {
  const open = new Map<number, Uint8Array>();
  for (const store of stores) {
    if (open.has(store.id)) continue;
    const dates = storeDays.get(store.id) ?? new Set<string>();
    open.set(
      store.id,
      Uint8Array.from({ length: days }, (_, i) => (dates.has(isoFromDay(from + i)) ? 1 : 0)),
    );
  }
  return open;
}

function readPeriod(
  db: Db,
  from: number,
  to: number,
  articles: ReadonlyMap<number, LegacyArticle>,
) {
  const before = readDeliveries(db, isoFromDay(from - 365));
  // Only what was known on the first day: orders placed, and received, before it.
  const known = (r: DeliveryRecord) =>
    r.orderedOn < from && (r.receivedOn === null || r.receivedOn < from);
  return {
    stock: readStockHistory(db, isoFromDay(from - 7), isoFromDay(to - 1)),
    orders: readPeriodOrders(db, isoFromDay(from), isoFromDay(to)),
    observed: observedBefore(
      { orders: before.orders.filter(known), lines: before.lines.filter(known) },
      articles,
    ),
    articleLeadTimes: articleLeadTimesIn(before.lines, from, to, articles),
  };
}

/**
 * Per article, the lead time each of its orders of the period really took (to the first
 * reception of that article), kept where it has enough of them to stand on its own, as
 * `leadTimeFor` keeps an article's own statistics: an article its supplier delivers in 5 days
 * while the supplier's other articles come in 1 is replayed at 5.
 */
function articleLeadTimesIn(
  lines: DeliveryLines,
  from: number,
  to: number,
  articles: ReadonlyMap<number, LegacyArticle>,
): Map<number, { orderedOn: number; days: number }[]> {
  const byArticle = new Map<number, { orderedOn: number; days: number }[]>();
  for (const line of lines) {
    if (line.orderedOn < from || line.orderedOn >= to || line.receivedOn === null) continue;
    if (line.status === "BROUILLON" || line.status === "ANNULEE") continue;
    if (line.receivedOn < line.orderedOn) continue;
    if (articles.get(line.articleId)?.supplierId !== line.supplierId) continue;
    const list = byArticle.get(line.articleId) ?? [];
    list.push({ orderedOn: line.orderedOn, days: line.receivedOn - line.orderedOn });
    byArticle.set(line.articleId, list);
  }
  for (const [id, list] of byArticle)
    if (list.length < MIN_ARTICLE_OBSERVATIONS) byArticle.delete(id);
  return byArticle;
}

/** End-of-day stock over the period (a missing day carries the last one), and the start's. */
function stockPath(
  history: StockHistory,
  key: string,
  from: number,
  days: number,
): { initial: number; path: Float64Array } | null {
  if (!history.series.has(key)) return null;
  let last: number | null = null;
  for (let d = from - 7; d < from; d++) last = stockOn(history, key, d) ?? last;
  if (last === null) return null;
  const initial = last;
  const path = new Float64Array(days);
  for (let i = 0; i < days; i++) {
    last = stockOn(history, key, from + i) ?? last;
    path[i] = last as number;
  }
  return { initial, path };
}

/** ABC at the start of the period: the value of the 52 weeks of sales before it, per store. */
function abcAt(
  sales: ReadonlyMap<string, Float64Array>,
  asOf: AsOfResult,
  /** Index of the period's first day in the sales arrays. */
  fromIndex: number,
): Map<string, "A" | "B" | "C"> {
  const byStore = new Map<number, { key: string; value: number }[]>();
  for (const [key, values] of sales) {
    const [articleId, storeId] = key.split(":").map(Number) as [number, number];
    const price = asOf.articles.get(articleId)?.shelfPrice ?? 0;
    let units = 0;
    for (let i = fromIndex - 364; i < fromIndex; i++) units += Math.max(0, values[i] ?? 0);
    const list = byStore.get(storeId) ?? [];
    list.push({ key, value: units * price });
    byStore.set(storeId, list);
  }
  const classes = new Map<string, "A" | "B" | "C">();
  for (const list of byStore.values()) for (const [k, c] of abcClasses(list)) classes.set(k, c);
  return classes;
}

function replayInput(
  key: string,
  article: LegacyArticle,
  open: Uint8Array,
  history: Awaited<ReturnType<typeof readHistoryInWorkers>>,
  period: ReturnType<typeof readPeriod>,
  asOf: AsOfResult,
  options: SimulationOptions,
  { initialStock, serviceLevel }: { initialStock: number; serviceLevel: number },
): Pick<ReplaySeries, "input" | "supplierId" | "fallbackLeadTime"> {
  const days = options.weeks * 7;
  const sales = history.sales.series.get(key);
  const stockOut = new Uint8Array(days);
  for (const day of history.stockOuts.get(key) ?? [])
    if (day >= options.from && day < options.from + days) stockOut[day - options.from] = 1;
  const arrivals = dayIndexed(period.orders.arrivalsBefore.get(key), options.from);
  const planned = leadTimeDays(article.articleLeadTime, article.supplierLeadTime);
  const observed = leadTimeFor(
    period.observed.bySupplier,
    period.observed.byArticle,
    article.supplierId,
    article.id,
  );
  return {
    supplierId: article.supplierId,
    fallbackLeadTime: observed ? Math.round(observed.p50) : planned,
    input: {
      days,
      firstDay: options.from,
      sales: sales ?? new Float64Array(days),
      stockOut,
      open,
      initialStock,
      arrivals,
      forecasts: asOf.byOrigin.map((m) => m.get(key) ?? null),
      leadTime: planned,
      orderDays: parseWeekdayMask(article.supplierOrderDays, "1111100"),
      marginPct: options.marginPct,
      serviceLevel,
      delays: observed?.delays ?? [],
      usualLeadTime: observed?.p50 ?? null,
      packSize: article.packSize,
      minimumOrder: article.minimumOrder,
      shelfLifeDays: article.shelfLifeDays,
      safetyStock: article.safetyStock,
      countOpenOrders: options.countOpenOrders,
    },
  };
}

/** Day number → units, as day index in the period → units. */
function dayIndexed(byDay: ReadonlyMap<number, number> | undefined, from: number) {
  const byIndex = new Map<number, number>();
  for (const [day, units] of byDay ?? []) byIndex.set(day - from, units);
  return byIndex;
}

/** The lead times observed on deliveries known before the period (Q_s's delays), as step 4. */
function observedBefore(
  deliveries: { orders: DeliveryRecord[]; lines: DeliveryLines },
  articles: ReadonlyMap<number, LegacyArticle>,
) {
  const plannedBySupplier = new Map<number, number>();
  const plannedByArticle = new Map<number, number>();
  for (const a of articles.values()) {
    if (a.supplierId !== null && a.supplierLeadTime !== null)
      plannedBySupplier.set(a.supplierId, a.supplierLeadTime);
    if (a.articleLeadTime !== null) plannedByArticle.set(a.id, a.articleLeadTime);
  }
  return observedLeadTimes(
    deliveries.orders,
    deliveries.lines,
    plannedBySupplier,
    plannedByArticle,
  );
}

function summarise(
  policy: OrderPolicy,
  rows: readonly SeriesOutcome[],
  orders: PeriodOrders,
  stores: readonly LegacyStore[],
  articles: ReadonlyMap<number, LegacyArticle>,
  options: SimulationOptions,
  days: number,
): PolicyOutcome {
  const byStore = stores.map((store) => {
    const optiflow = emptyFigures();
    const actual = emptyFigures();
    const orderKeys = new Set<string>();
    for (const r of rows) {
      if (r.storeId !== store.id) continue;
      addFigures(optiflow, r.optiflow);
      addFigures(actual, r.actual);
      const supplier = articles.get(r.articleId)?.supplierId ?? 0;
      for (const day of r.orderDays) orderKeys.add(`${supplier}/${day}`);
    }
    // An order is one supplier on one day; the real ones are counted from `commandes`.
    optiflow.orders = orderKeys.size;
    actual.orders = orders.ordersByStore.get(store.id) ?? 0;
    return {
      storeId: store.id,
      storeCode: store.code,
      optiflow,
      actual,
      savings: savingsOf(actual, optiflow, days, options.carryingCostRate),
    };
  });
  const optiflow = emptyFigures();
  const actual = emptyFigures();
  for (const s of byStore) {
    addFigures(optiflow, s.optiflow);
    addFigures(actual, s.actual);
  }
  const savings = savingsOf(actual, optiflow, days, options.carryingCostRate);
  return {
    policy,
    optiflow,
    actual,
    savings: {
      ...savings,
      formula: savingsFormula(options.carryingCostRate, days),
      carryingRatePct: Math.round(options.carryingCostRate * 1000) / 10,
      days,
    },
    byStore,
    worst: [...rows]
      .sort((a, b) => a.savings.total - b.savings.total)
      .slice(0, WORST)
      .map((r) => ({
        articleId: r.articleId,
        reference: r.reference,
        name: r.name,
        storeCode: r.storeCode,
        delta: r.savings.total,
      })),
  };
}

export function savingsFormula(rate: number, days: number): string {
  const pct = Math.round(rate * 1000) / 10;
  return `(stock moyen réel − simulé) × ${pct} %/an × ${days}/365 + (marge perdue réelle − simulée) + (périmés réels − simulés) × prix d'achat`;
}
