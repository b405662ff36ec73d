import { describe, expect, it } from "vitest";
import { seriesKey } from "../data/legacy/day-cache.js";
import type { PromotionRow } from "../data/legacy/read-calendar.js";
import type { LegacyArticle, LegacyStore } from "../data/legacy/read-catalog.js";
import { dayFromIso, isoFromDay } from "../domain/calendar/days.js";
import { buildSeries } from "./load-series.js";

const today = dayFromIso("2026-03-01");
const historyDays = 56;
const horizonDays = 14;
const firstDay = today - historyDays;

const store = (id: number): LegacyStore => ({
  id,
  code: `M${id}`,
  name: `Magasin ${id}`,
  openingMask: "1111111",
});

const article = (id: number, categoryId: number): LegacyArticle => ({
  id,
  reference: `A${id}`,
  name: `Article ${id}`,
  unit: "U",
  categoryId,
  categoryName: null,
  supplierId: null,
  supplierName: null,
  supplierOrderDays: null,
  articleLeadTime: null,
  supplierLeadTime: null,
  packSize: 1,
  minimumOrder: 0,
  purchasePrice: null,
  shelfPrice: null,
  vatRate: 0.2,
  shelfLifeDays: null,
  safetyStock: null,
  active: true,
  createdOn: "2020-01-01",
});

/** A promotion over the days `from`..`to` of the timeline (indices from its first day). */
const promotion = (
  scope: Pick<PromotionRow, "articleId" | "categoryId" | "storeId">,
  from: number,
  to: number,
  discountPct: number,
): PromotionRow => ({
  ...scope,
  start: isoFromDay(firstDay + from),
  end: isoFromDay(firstDay + to),
  discountPct,
});

function build(promotions: PromotionRow[]) {
  const { series } = buildSeries({
    today,
    historyDays,
    horizonDays,
    stores: [store(1), store(2)],
    // Articles 1 and 2 in category 10, article 3 in category 20.
    articles: [article(1, 10), article(2, 10), article(3, 20)],
    sales: new Map(),
    storeDays: new Map(),
    stockOuts: new Map(),
    excludedDays: new Map(),
    events: [],
    promotions,
  });
  const discount = (articleId: number, storeId: number) => {
    const found = series.find((s) => s.article.id === articleId && s.store.id === storeId);
    if (!found) throw new Error(`no series ${articleId} × ${storeId}`);
    return found.input.discount;
  };
  return discount;
}

describe("promotion discounts", () => {
  const discount = build([
    promotion({ articleId: 1, categoryId: null, storeId: null }, 10, 16, 30),
    promotion({ articleId: 1, categoryId: null, storeId: 2 }, 14, 20, 50),
    promotion({ articleId: null, categoryId: 10, storeId: null }, 40, 46, 20),
    promotion({ articleId: 3, categoryId: null, storeId: null }, 60, 62, 10),
  ]);

  it("takes, per day, the deepest of the promotions that apply to the article in that store", () => {
    const inStore1 = discount(1, 1);
    const inStore2 = discount(1, 2);
    expect(inStore1[9]).toBe(0);
    expect(inStore1[10]).toBeCloseTo(0.3, 6);
    expect(inStore1[16]).toBeCloseTo(0.3, 6);
    expect(inStore1[17]).toBe(0);
    expect(inStore1[43]).toBeCloseTo(0.2, 6);
    // Store 2's own promotion is deeper where both run, and runs on alone after.
    expect(inStore2[13]).toBeCloseTo(0.3, 6);
    expect(inStore2[14]).toBeCloseTo(0.5, 6);
    expect(inStore2[20]).toBeCloseTo(0.5, 6);
    expect(inStore2[21]).toBe(0);
    // Days ahead carry the promotions already planned.
    expect(discount(3, 1)[61]).toBeCloseTo(0.1, 6);
  });

  it("shares one array between series with the same promotions, and only between those", () => {
    // Article 2 has only its category's promotion, in both stores.
    expect(discount(2, 1)).toBe(discount(2, 2));
    expect(discount(3, 1)).toBe(discount(3, 2));
    // Article 1 has a promotion of its own in store 2.
    expect(discount(1, 1)).not.toBe(discount(1, 2));
    expect(discount(1, 1)).not.toBe(discount(2, 1));
    expect(discount(2, 1)).not.toBe(discount(3, 1));
  });

  it("gives series without any promotion one array of zeros", () => {
    const none = build([]);
    expect(none(1, 1)).toBe(none(3, 2));
    expect(none(1, 1).every((d) => d === 0)).toBe(true);
    expect(none(1, 1)).toHaveLength(historyDays + horizonDays);
  });
});

describe("a store's closing days ahead", () => {
  const today2 = dayFromIso("2026-12-01");
  const history = 800;
  const first = today2 - history;

  /** Store 1's calendar on 25 December ahead, its one article selling `christmas` then. */
  function christmasAhead(christmas: number): number {
    const sales = new Float64Array(history).fill(100);
    for (let i = 0; i < history; i++)
      if (isoFromDay(first + i).endsWith("-12-25")) sales[i] = christmas;
    const { calendars } = buildSeries({
      today: today2,
      historyDays: history,
      horizonDays: 30,
      stores: [store(1)],
      articles: [article(1, 10)],
      sales: new Map([[seriesKey(1, 1), sales]]),
      storeDays: new Map([
        [1, new Set(Array.from({ length: history }, (_, i) => isoFromDay(first + i)))],
      ]),
      stockOuts: new Map(),
      excludedDays: new Map(),
      events: [],
      promotions: [],
    });
    const calendar = calendars.get(1);
    if (!calendar) throw new Error("no calendar");
    return calendar.open[dayFromIso("2026-12-25") - calendar.firstDay] as number;
  }

  it("closes a date whose every past occurrence sold a few stray units", () => {
    expect(christmasAhead(3)).toBe(0);
  });

  it("keeps it open when those days traded", () => {
    expect(christmasAhead(60)).toBe(1);
  });
});
