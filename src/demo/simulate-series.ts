import { isMaskedDay, nextMaskedDay, parseWeekdayMask } from "../domain/calendar/opening-days.js";
import type { ArticleSpec, StoreSpec } from "./catalog.js";
import { binomial, chance, deriveRng, gamma, poisson, type Rng, uniform } from "./random.js";

/** Where a simulated series writes its rows: the legacy tables, through the demo writer. */
export interface SeriesSink {
  sale(day: number, quantity: number, revenue: number, price: number): void;
  movement(
    day: number,
    type: "VENTE" | "RECEPTION" | "AJUSTEMENT" | "PERTE" | "RETOUR",
    quantity: number,
    reference: string | null,
  ): void;
  endOfDayStock(day: number, quantity: number): void;
  rupture(startDay: number, endDay: number | null): void;
  inventory(day: number, theoretical: number, counted: number): void;
  /** Records an order line and its delivery; returns the order number used as movement reference. */
  orderLine(line: OrderLine): string;
  finalStock(quantity: number, day: number): void;
}

export interface OrderLine {
  supplierId: number;
  storeId: number;
  articleId: number;
  orderDay: number;
  expectedDay: number;
  quantity: number;
  unitPrice: number;
  fate: OrderFate;
  /** Day the goods arrive, null when cancelled. */
  arrivalDay: number | null;
  receivedQuantity: number;
}

export interface OrderFate {
  cancelled: boolean;
  delayDays: number;
  /** Share of the ordered quantity delivered (1 = complete). */
  deliveredShare: number;
}

/** Everything a series needs besides its article and store, shared by all series. */
export interface SeriesContext {
  seed: number;
  firstDay: number;
  today: number;
  open: Uint8Array;
  seasonal: Float32Array;
  eventFactor: Float32Array;
  /** Discount % per day from category-wide promotions for this store. */
  categoryDiscount: Float32Array;
  /** Discount % per day from this article's own promotions in this store. */
  articleDiscount: Float32Array;
  /** Shelf price per day (prix_historique); purchase price likewise. */
  shelfPrice: Float32Array;
  purchasePrice: Float32Array;
  referencePrice: number;
  forceNegativeEndStock: boolean;
  /** Told each open day's expected demand λ (before noise and stock): the truth benchmarks need. */
  observeDemand?: (day: number, lambda: number) => void;
}

/** An order's fate depends on the supplier, store and day only: all its lines share it. */
export function orderFate(
  seed: number,
  supplier: { id: number; lateRate: number; partialRate: number },
  storeId: number,
  day: number,
): OrderFate {
  const rng = deriveRng(seed, 7, supplier.id, storeId, day);
  if (chance(rng, 0.01)) return { cancelled: true, delayDays: 0, deliveredShare: 0 };
  const delayDays = chance(rng, supplier.lateRate) ? 1 + Math.floor(rng() * 4) : 0;
  const deliveredShare = chance(rng, supplier.partialRate) ? uniform(rng, 0.4, 0.9) : 1;
  return { cancelled: false, delayDays, deliveredShare };
}

interface PendingOrder {
  arrivalIndex: number;
  expectedIndex: number;
  quantity: number;
  reference: string;
  cancelled: boolean;
}

const AVERAGE_WINDOW = 28;

/** Weights sold per customer, as a share of the nominal unit (kg articles). */
const WEIGHED_SHARE = [0.3, 1.4] as const;

/**
 * One day's demand around its expectation λ: Poisson with gamma-distributed day-to-day noise
 * (overdispersion by article), and random weights for articles sold by the kg.
 */
export function drawDemand(rng: Rng, lambda: number, article: DemandNoise): number {
  const noisy = lambda * (gamma(rng, article.noiseShape) / article.noiseShape);
  const demand = poisson(rng, noisy);
  if (article.unit !== "kg" || demand === 0) return demand;
  return Math.round(demand * uniform(rng, WEIGHED_SHARE[0], WEIGHED_SHARE[1]) * 1000) / 1000;
}

export type DemandNoise = Pick<ArticleSpec, "noiseShape" | "unit">;

/** The mean of drawDemand: λ, times the mean weight for kg articles. */
export function expectedUnits(lambda: number, article: DemandNoise): number {
  return article.unit === "kg" ? (lambda * (WEIGHED_SHARE[0] + WEIGHED_SHARE[1])) / 2 : lambda;
}

/**
 * Simulates one article in one store day by day: demand from the article's profile, sales
 * capped by the stock on the shelf (no sales while out of stock), the retailer's own legacy
 * reorder rule with late, partial and cancelled deliveries, spoilage, returns and yearly counts.
 */
export function simulateSeries(
  article: ArticleSpec,
  store: StoreSpec,
  ctx: SeriesContext,
  sink: SeriesSink,
): void {
  new ShelfSimulation(article, store, ctx, sink).run();
}

/** One article's shelf in one store; every index is a day counted from `ctx.firstDay`. */
class ShelfSimulation {
  private readonly rng: Rng;
  private readonly orderMask: ReturnType<typeof parseWeekdayMask>;
  private readonly leadTime: number;
  private readonly startIndex: number;
  /** Exclusive: the history stops the day before today. */
  private readonly endIndex: number;
  private readonly delistIndex: number;
  private readonly isKg: boolean;
  /** Mean daily demand of the article in this store. */
  private readonly rate: number;
  private readonly inventoryDayOfYear: number;
  private readonly recentSales = new Float64Array(AVERAGE_WINDOW);
  private recentSum = 0;
  private daysSeen = 0;
  private readonly pending: PendingOrder[] = [];
  private stock = 0;
  private ruptureStart = -1;
  private ruptureRecorded = true;
  private lastPromoIndex = -100;

  constructor(
    private readonly article: ArticleSpec,
    private readonly store: StoreSpec,
    private readonly ctx: SeriesContext,
    private readonly sink: SeriesSink,
  ) {
    this.rng = deriveRng(ctx.seed, 1, article.id, store.id);
    this.orderMask = parseWeekdayMask(article.supplier.orderMask);
    this.leadTime = article.leadTimeOverride ?? article.supplier.leadTimeDays;
    this.startIndex = Math.max(0, article.startDay - ctx.firstDay);
    this.endIndex = ctx.today - ctx.firstDay;
    this.delistIndex =
      article.endDay === null ? Number.POSITIVE_INFINITY : article.endDay - ctx.firstDay;
    this.isKg = article.unit === "kg";
    this.rate = article.baseRate * store.size;
    this.inventoryDayOfYear = Math.floor(this.rng() * 365);
  }

  run(): void {
    const { ctx, sink, startIndex, endIndex } = this;
    if (startIndex < endIndex) this.openingStock();
    for (let i = startIndex; i < endIndex; i++) {
      const day = ctx.firstDay + i;
      this.deliver(i, day);
      this.pushRecent(this.sell(i, day));
      this.spoil(day);
      this.count(i, day);
      // The retailer's legacy reorder rule, on the supplier's order days.
      if (i < this.delistIndex && isMaskedDay(this.orderMask, day)) this.review(i);
      if (ctx.forceNegativeEndStock && i === endIndex - 1) {
        sink.movement(day, "AJUSTEMENT", -(this.stock + 2), "SAISIE-ERRONEE");
        this.stock = -2;
      }
      sink.endOfDayStock(day, this.stock);
    }
    if (this.ruptureStart >= 0 && this.ruptureRecorded)
      sink.rupture(ctx.firstDay + this.ruptureStart, null);
    if (startIndex < endIndex) sink.finalStock(this.stock, ctx.firstDay + endIndex - 1);
  }

  /** An order placed before the first day, delivered on it. */
  private openingStock(): void {
    const { article, ctx, startIndex } = this;
    const initial = Math.max(
      article.packSize,
      roundUpToPack(this.rate * (this.leadTime + 7) * 1.5, article.packSize),
    );
    const reference = this.sink.orderLine({
      supplierId: article.supplier.id,
      storeId: this.store.id,
      articleId: article.id,
      orderDay: ctx.firstDay + startIndex - this.leadTime,
      expectedDay: ctx.firstDay + startIndex,
      quantity: initial,
      unitPrice: ctx.purchasePrice[startIndex] ?? article.purchasePrice,
      fate: { cancelled: false, delayDays: 0, deliveredShare: 1 },
      arrivalDay: ctx.firstDay + startIndex,
      receivedQuantity: initial,
    });
    this.pending.push({
      arrivalIndex: startIndex,
      expectedIndex: startIndex,
      quantity: initial,
      reference,
      cancelled: false,
    });
  }

  /** The day's deliveries; a stock-out ends with the first one. */
  private deliver(i: number, day: number): void {
    const { pending } = this;
    for (let p = pending.length - 1; p >= 0; p--) {
      const order = pending[p] as PendingOrder;
      if (order.arrivalIndex === i && !order.cancelled) {
        if (order.quantity > 0) {
          this.stock += order.quantity;
          this.sink.movement(day, "RECEPTION", order.quantity, order.reference);
        }
        pending.splice(p, 1);
      } else if (order.cancelled && order.expectedIndex <= i) {
        pending.splice(p, 1); // the buyer learns of the cancellation on the expected day
      }
    }
    if (this.ruptureStart >= 0 && this.stock > 0) {
      if (this.ruptureRecorded) this.sink.rupture(this.ctx.firstDay + this.ruptureStart, day - 1);
      this.ruptureStart = -1;
    }
  }

  /** The day's sales (demand capped by the shelf), or a return; what was sold. */
  private sell(i: number, day: number): number {
    const { article, ctx, rng, sink } = this;
    if (ctx.open[i] !== 1) return 0;
    const discount = Math.max(ctx.categoryDiscount[i] ?? 0, ctx.articleDiscount[i] ?? 0);
    if (discount > 0) this.lastPromoIndex = i;
    const price = (ctx.shelfPrice[i] ?? article.shelfPrice) * (1 - discount / 100);
    const lambda = expectedDemand(article, ctx, i, this.rate, discount, this.lastPromoIndex);
    ctx.observeDemand?.(day, lambda);
    const demand = drawDemand(rng, lambda, article);
    if (this.stock <= 1e-9) {
      if (this.ruptureStart < 0 && i < this.delistIndex) {
        this.ruptureStart = i;
        this.ruptureRecorded = !chance(rng, 0.1); // a tenth of stock-outs are never keyed in
      }
      return 0;
    }
    const sold = Math.min(demand, this.stock);
    if (sold > 0) {
      this.stock = roundQuantity(this.stock - sold, this.isKg);
      sink.sale(day, sold, round2(sold * price), round2(price));
      sink.movement(day, "VENTE", -sold, null);
    } else if (article.category.parent === "Non alimentaire" && chance(rng, 0.002)) {
      this.stock += 1;
      sink.sale(day, -1, round2(-price), round2(price));
      sink.movement(day, "RETOUR", 1, null);
    }
    return sold;
  }

  /** Perishables spoil now and then. */
  private spoil(day: number): void {
    const { article, isKg, rng } = this;
    if (article.shelfLifeDays === null || this.stock <= 0) return;
    if (!chance(rng, 1 / article.shelfLifeDays)) return;
    const lost = roundQuantity(
      isKg ? this.stock * uniform(rng, 0.01, 0.08) : binomial(rng, Math.floor(this.stock), 0.05),
      isKg,
    );
    if (lost > 0) {
      this.stock = roundQuantity(this.stock - lost, isKg);
      this.sink.movement(day, "PERTE", -lost, null);
    }
  }

  /** The yearly count, with its shrinkage (and, rarely, a unit found). */
  private count(i: number, day: number): void {
    const { isKg, rng, stock } = this;
    if (this.ctx.open[i] !== 1 || dayOfYearIndex(day) !== this.inventoryDayOfYear) return;
    if (i - this.startIndex <= 30) return;
    const shrink = isKg
      ? roundQuantity(stock * uniform(rng, 0, 0.03), true)
      : binomial(rng, Math.max(0, Math.floor(stock)), 0.02);
    const found = !isKg && stock > 0 && chance(rng, 0.05) ? 1 : 0;
    const counted = roundQuantity(stock - shrink + found, isKg);
    this.sink.inventory(day, stock, counted);
    if (counted !== stock)
      this.sink.movement(
        day,
        "AJUSTEMENT",
        roundQuantity(counted - stock, isKg),
        `INV-${this.store.id}-${day}`,
      );
    this.stock = counted;
  }

  private pushRecent(sold: number): void {
    const slot = this.daysSeen % AVERAGE_WINDOW;
    this.recentSum += sold - (this.recentSales[slot] as number);
    this.recentSales[slot] = sold;
    this.daysSeen++;
  }

  /** The legacy reorder rule: below 80% of its target, order up to 110% of it. */
  private review(i: number): void {
    const { article, ctx, leadTime, rate } = this;
    const observed = this.daysSeen >= AVERAGE_WINDOW ? this.recentSum / AVERAGE_WINDOW : rate;
    const nextOrder = nextMaskedDay(this.orderMask, ctx.firstDay + i + 1);
    const reviewPeriod = nextOrder === null ? 7 : nextOrder - (ctx.firstDay + i);
    const horizon = leadTime + reviewPeriod;
    // The legacy rule averages past sales (stock-out days included, so it under-orders after a
    // stock-out); the buyer tops it up from experience of the season ahead, imperfectly.
    let seasonalAhead = 0;
    for (let k = i; k < i + horizon && k < ctx.seasonal.length; k++)
      seasonalAhead += (ctx.seasonal[k] as number) * (ctx.eventFactor[k] as number);
    const average = Math.max(observed, 0.8 * rate * (seasonalAhead / horizon));
    const cover = average * horizon * 1.3 + (article.legacySafetyStock ?? 0);
    const target = Math.max(cover, article.velocity === "slow" ? 2 : 1);
    let onOrder = 0;
    for (const order of this.pending) if (!order.cancelled) onOrder += order.quantity;
    const position = this.stock + onOrder;
    if (position < target * 0.8) {
      let quantity = roundUpToPack(target * 1.1 - position, article.packSize);
      quantity = Math.max(quantity, article.packSize, article.minimumOrder);
      this.placeOrder(i, quantity);
    }
  }

  private placeOrder(index: number, quantity: number): void {
    const { article, ctx, store } = this;
    const day = ctx.firstDay + index;
    const fate = orderFate(ctx.seed, article.supplier, store.id, day);
    const expectedIndex = index + this.leadTime;
    const arrivalIndex = fate.cancelled ? -1 : this.nextOpenIndex(expectedIndex + fate.delayDays);
    const received = roundQuantity(quantity * fate.deliveredShare, this.isKg);
    const reference = this.sink.orderLine({
      supplierId: article.supplier.id,
      storeId: store.id,
      articleId: article.id,
      orderDay: day,
      expectedDay: ctx.firstDay + expectedIndex,
      quantity,
      unitPrice:
        ctx.purchasePrice[Math.min(index, ctx.purchasePrice.length - 1)] ?? article.purchasePrice,
      fate,
      arrivalDay: fate.cancelled ? null : ctx.firstDay + arrivalIndex,
      receivedQuantity: fate.cancelled ? 0 : received,
    });
    this.pending.push({
      arrivalIndex,
      expectedIndex,
      quantity: received,
      reference,
      cancelled: fate.cancelled,
    });
  }

  /** The first day the store opens from `index`, looking two weeks ahead at most. */
  private nextOpenIndex(index: number): number {
    const open = this.ctx.open;
    let i = index;
    while (i < index + 14 && i < open.length && open[i] === 0) i++;
    return i;
  }
}

function expectedDemand(
  article: ArticleSpec,
  ctx: SeriesContext,
  i: number,
  rate: number,
  discount: number,
  lastPromoIndex: number,
): number {
  const years = (ctx.firstDay + i - ctx.today) / 365;
  let lambda =
    rate *
    Math.exp(article.trendPerYear * years) *
    (ctx.seasonal[i] as number) *
    (ctx.eventFactor[i] as number);
  if (discount > 0) lambda *= Math.exp((article.promoElasticity * discount) / 100);
  else if (i - lastPromoIndex < 7 && article.shelfLifeDays === null) lambda *= 0.85; // pantry loading
  const price = ctx.shelfPrice[i] ?? ctx.referencePrice;
  lambda *= (price / ctx.referencePrice) ** -article.priceElasticity;
  const age = ctx.firstDay + i - article.startDay;
  if (article.startDay > ctx.firstDay && age < 28) lambda *= 0.3 + (0.7 * age) / 28; // launch ramp-up
  return lambda;
}

function dayOfYearIndex(day: number): number {
  // Close enough for choosing a count day: 365-day cycle from the epoch.
  return ((day % 365) + 365) % 365;
}

function roundQuantity(value: number, isKg: boolean): number {
  return isKg ? Math.round(value * 1000) / 1000 : Math.round(value);
}

function roundUpToPack(value: number, pack: number): number {
  return Math.max(0, Math.ceil(value / pack - 1e-9) * pack);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
