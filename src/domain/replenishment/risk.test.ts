import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { abcClasses, xyzClass } from "./abc-xyz.js";
import { DeliveryLines } from "./delivery-lines.js";
import { leadTimeStats, observedLeadTimes } from "./observed-lead-time.js";
import type { OrderInputError } from "./order-quantity.js";
import { checkOrderQuantity, purchaseOrders } from "./purchase-order.js";
import { suggestQuantities } from "./risk-aware-quantity.js";
import { probabilityNoStockOut, serviceLevelUnits } from "./service-level.js";

/** Hand-computed cases (the working is in the comments), then properties over random inputs. */
const flat = (value: number, days: number) => new Array<number>(days).fill(value);

describe("probability of no stock-out and the service-level quantity", () => {
  // 2 a day, Poisson (φ = 0), D = t + 3: demand over 4 days ~ Poisson(8).
  const protection = { forecast: flat(2, 10), phi: 0, targetOffset: 3 };

  it("P(Poisson(8) ≤ stock + Q): stock 4 and Q 6 cover 10 units, 0.81589", () => {
    // e^-8 Σ_{k ≤ 10} 8^k / k! = 0.8158858
    expect(probabilityNoStockOut(protection, 4, 6)).toBeCloseTo(0.8158858, 6);
    expect(probabilityNoStockOut(protection, -3, 0)).toBe(0);
  });

  it("late deliveries widen the period: half on time, half 2 days late", () => {
    // 0.5 · P(Poisson(8) ≤ 10) + 0.5 · P(Poisson(12) ≤ 10) = 0.5 · 0.8158858 + 0.5 · 0.3472294
    expect(probabilityNoStockOut({ ...protection, delays: [0, 0, 2, 2] }, 4, 6)).toBeCloseTo(
      0.5815576,
      6,
    );
  });

  it("Q_s is the smallest quantity reaching s: 12 units at 90% from an empty shelf", () => {
    // Poisson(8) CDF: 11 → 0.8881, 12 → 0.9362.
    expect(serviceLevelUnits(protection, 0, 0.9)).toBe(12);
    expect(serviceLevelUnits(protection, 5, 0.9)).toBe(7);
    // Already enough: nothing to order.
    expect(serviceLevelUnits(protection, 20, 0.9)).toBe(0);
  });
});

describe("suggested quantities: margin and service level side by side", () => {
  const base = {
    forecast: flat(2, 30),
    phi: 0,
    stockAtTarget: 0,
    stockAtLeadTime: 0,
    targetOffset: 3,
    leadTime: 2,
    marginPct: 10,
    packSize: 1,
    minimumOrder: 0,
    serviceLevel: 0.9,
    delays: [],
    shelfLifeDays: null,
    safetyStock: null,
  };

  it("keeps the brief's quantity exact and gives each one its probability", () => {
    const s = suggestQuantities(base);
    // (Σ F over 4 days = 8 − 0) × 1.10 = 8.8 → 9.
    expect(s.margin.quantity).toBe(9);
    // P(Poisson(8) ≤ 9) = 0.7166243
    expect(s.margin.probability).toBeCloseTo(0.7166243, 6);
    expect(s.service.quantity).toBe(12);
    expect(s.service.probability).toBeGreaterThanOrEqual(0.9);
    // Stock at delivery: 0 − 2 days × 2.
    expect(s.stockAtDelivery).toBe(-4);
  });

  it("orders for a forecast of nothing what such forecasts still sold, and says so", () => {
    // 4 days at 0 with a floor of 0.5 a day: demand ~ Poisson(2) (φ 0), P(≤ 4) = 0.947.
    const level = { factor: 1, variance: 0, floor: { rate: 0.5, phi: 0 } };
    const dormant = suggestQuantities({ ...base, forecast: flat(0, 30), level });
    expect(dormant.service.quantity).toBe(4);
    expect(dormant.service.notes).toContainEqual({ code: "floor_added", unitsPerWeek: 3.5 });
    // The brief's quantity reads the forecast alone: nothing to order.
    expect(dormant.margin.quantity).toBe(0);
    // A forecast above one a week takes no floor, and no note.
    const busy = suggestQuantities({ ...base, level });
    expect(busy.service.quantity).toBe(12);
    expect(busy.service.notes).toEqual([]);
    // A shelf life that leaves nothing to order leaves no note about the floor either.
    const perishable = suggestQuantities({
      ...base,
      forecast: flat(0, 30),
      level,
      shelfLifeDays: 3,
    });
    expect(perishable.service.quantity).toBe(0);
    expect(perishable.service.notes.map((n) => n.code)).toEqual(["shelf_life_blocks_order"]);
  });

  it("promises q_s of the demand to D, deliveries on time, whatever the stock and the delays", () => {
    // Poisson(8) over the 4 days: P(≤ 11) = 0.888, P(≤ 12) = 0.936.
    expect(suggestQuantities(base).promisedDemand).toBe(12);
    // Stock changes Q_s, not the demand promised to stay within.
    const stocked = suggestQuantities({ ...base, stockAtTarget: 5 });
    expect(stocked.service.quantity).toBe(7);
    expect(stocked.promisedDemand).toBe(12);
    // A late supplier widens Q_s's period; the promise checked afterwards stays t … D.
    const late = suggestQuantities({ ...base, delays: [3, 3] });
    expect(late.service.quantity).toBeGreaterThan(12);
    expect(late.promisedDemand).toBe(12);
    expect(suggestQuantities({ ...base, delays: [0, 3] }).promisedDemand).toBe(12);
  });

  it("rounds Q_s to the pack, then to the minimum, and says when the minimum raised it", () => {
    expect(suggestQuantities({ ...base, packSize: 5 }).service.quantity).toBe(15);
    const raised = suggestQuantities({ ...base, packSize: 5, minimumOrder: 20 }).service;
    expect(raised.quantity).toBe(20);
    expect(raised.notes.map((n) => n.code)).toContain("minimum_order_raised");
  });

  it("never orders more than sells within the shelf life after delivery", () => {
    // Delivery at t + 2 with 5 in stock then; shelf life 4 days: 4 × 2 = 8 sell, 8 − 5 = 3 more.
    const capped = suggestQuantities({
      ...base,
      stockAtLeadTime: 9,
      shelfLifeDays: 4,
      serviceLevel: 0.98,
    });
    expect(capped.shelfLifeMax).toBe(3);
    expect(capped.service.quantity).toBe(3);
    expect(capped.service.notes.map((n) => n.code)).toContain("shelf_life_capped");
    // In packs of 2: one pack; in packs of 4: none fits, nothing is ordered.
    expect(
      suggestQuantities({
        ...base,
        stockAtLeadTime: 9,
        shelfLifeDays: 4,
        packSize: 2,
        serviceLevel: 0.98,
      }).service.quantity,
    ).toBe(2);
    const none = suggestQuantities({
      ...base,
      stockAtLeadTime: 9,
      shelfLifeDays: 4,
      packSize: 4,
      serviceLevel: 0.98,
    }).service;
    expect(none.quantity).toBe(0);
    // Said as what stops the order, not as "capped at 3" beside a 0.
    expect(none.notes).toEqual([
      { code: "shelf_life_blocks_order", maxUnits: 3, smallestOrder: 4 },
    ]);
    // A minimum of 10 in packs of 4: the smallest order is 12 (three packs). With 9 in stock
    // at D, the need is a few units, which the minimum alone would raise to 12.
    const minimum = suggestQuantities({
      ...base,
      stockAtTarget: 9,
      stockAtLeadTime: 9,
      shelfLifeDays: 4,
      packSize: 4,
      minimumOrder: 10,
      serviceLevel: 0.98,
    }).service;
    expect(minimum.quantity).toBe(0);
    // The minimum that raised the need is in that note, not beside it as "raised to 10".
    expect(minimum.notes).toEqual([
      { code: "shelf_life_blocks_order", maxUnits: 3, smallestOrder: 12 },
    ]);
    // The brief's quantity is not capped, but flagged.
    const flagged = suggestQuantities({
      ...base,
      stockAtLeadTime: 9,
      shelfLifeDays: 4,
      stockAtTarget: 0,
    });
    expect(flagged.margin.notes.map((n) => n.code)).toContain("exceeds_shelf_life");
  });

  it("counts the shelf life from a delivery that usually comes sooner than planned", () => {
    const perishable = { ...base, stockAtLeadTime: 9, shelfLifeDays: 4, serviceLevel: 0.98 };
    // Planned at 2 days, usually in 1: 9 − 2 sold = 7 left then, 4 × 2 = 8 sell by t + 4: 1 more.
    const early = suggestQuantities({ ...perishable, usualLeadTime: 1 });
    expect(early.shelfLifeMax).toBe(1);
    expect(early.service.quantity).toBe(1);
    // Usually later than planned, or never seen: from the planned day (9 − 4 = 5 left, 8 − 5).
    expect(suggestQuantities({ ...perishable, usualLeadTime: 3 }).shelfLifeMax).toBe(3);
    expect(suggestQuantities({ ...perishable, usualLeadTime: null }).shelfLifeMax).toBe(3);
    // A same-day delivery still sells from tomorrow, as the planned day never comes sooner.
    expect(suggestQuantities({ ...perishable, usualLeadTime: 0 }).shelfLifeMax).toBe(1);
    // The stock expected at delivery, shown beside the alert, stays the planned day's.
    expect(early.stockAtDelivery).toBe(5);
  });

  it("keeps the legacy safety stock as a floor under the stock left at the target date", () => {
    // Σ F to D = 8, stock 3, safety stock 10: at least 8 + 10 − 3 = 15.
    const s = suggestQuantities({ ...base, stockAtTarget: 3, safetyStock: 10, serviceLevel: 0.5 });
    expect(s.service.quantity).toBe(15);
    expect(s.service.notes.map((n) => n.code)).toContain("safety_stock_raised");
    expect(s.margin.notes.map((n) => n.code)).toContain("below_safety_stock");
  });
});

describe("properties of Q_s over random forecasts and stocks", () => {
  const inputs = fc.record({
    forecast: fc.array(fc.double({ min: 0, max: 30, noNaN: true }), {
      minLength: 25,
      maxLength: 25,
    }),
    phi: fc.double({ min: 0, max: 2, noNaN: true }),
    stock: fc.integer({ min: -10, max: 60 }),
    targetOffset: fc.integer({ min: 0, max: 20 }),
    delays: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 6 }),
    s1: fc.double({ min: 0.5, max: 0.99, noNaN: true }),
    s2: fc.double({ min: 0.5, max: 0.99, noNaN: true }),
  });

  it("never decreases when the service level rises, and its probability is at least s", () => {
    fc.assert(
      fc.property(inputs, ({ forecast, phi, stock, targetOffset, delays, s1, s2 }) => {
        const protection = { forecast, phi, targetOffset, delays };
        const [low, high] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const qLow = serviceLevelUnits(protection, stock, low);
        const qHigh = serviceLevelUnits(protection, stock, high);
        expect(qHigh).toBeGreaterThanOrEqual(qLow);
        expect(probabilityNoStockOut(protection, stock, qLow)).toBeGreaterThanOrEqual(low - 1e-12);
        // After rounding to packs (no shelf life): still at least s.
        const rounded = suggestQuantities({
          forecast,
          phi,
          stockAtTarget: stock,
          stockAtLeadTime: stock,
          targetOffset,
          leadTime: 3,
          marginPct: 10,
          packSize: 6,
          minimumOrder: 12,
          serviceLevel: high,
          delays,
          shelfLifeDays: null,
          safetyStock: null,
        }).service;
        expect(rounded.probability).toBeGreaterThanOrEqual(high - 1e-12);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });
});

describe("ABC/XYZ", () => {
  it("ABC by cumulative value: A while the articles before it hold under 80%, B under 95%", () => {
    // Values 50, 30, 10, 5, 5 (total 100): before-shares 0, 50, 80, 90, 95.
    const classes = abcClasses([
      { key: "e", value: 5 },
      { key: "a", value: 50 },
      { key: "c", value: 10 },
      { key: "b", value: 30 },
      { key: "d", value: 5 },
      { key: "z", value: 0 },
    ]);
    expect(Object.fromEntries(classes)).toEqual({ a: "A", b: "A", c: "B", e: "B", d: "C", z: "C" });
  });

  it("XYZ by the held-out weekly WAPE: X up to 30%, Y up to 60%, Z beyond or unknown", () => {
    expect([0.1, 0.3, 0.31, 0.6, 0.61, null].map(xyzClass)).toEqual(["X", "X", "Y", "Y", "Z", "Z"]);
  });
});

describe("lead times as observed", () => {
  const day = (d: number) => 20_000 + d;
  it("p50 and p90 of order-to-reception days; late, partial and cancelled orders", () => {
    const records = [
      // Delivered in 3, 4, 4, 5 and 9 days; one partial; one cancelled; one never received.
      { supplierId: 1, articleId: null, orderedOn: day(0), receivedOn: day(3), status: "LIVREE" },
      { supplierId: 1, articleId: null, orderedOn: day(7), receivedOn: day(11), status: "LIVREE" },
      {
        supplierId: 1,
        articleId: null,
        orderedOn: day(14),
        receivedOn: day(18),
        status: "PARTIELLE",
      },
      { supplierId: 1, articleId: null, orderedOn: day(21), receivedOn: day(26), status: "LIVREE" },
      { supplierId: 1, articleId: null, orderedOn: day(28), receivedOn: day(37), status: "LIVREE" },
      { supplierId: 1, articleId: null, orderedOn: day(35), receivedOn: null, status: "ANNULEE" },
      { supplierId: 1, articleId: null, orderedOn: day(42), receivedOn: null, status: "ENVOYEE" },
    ];
    const stats = leadTimeStats(records, 4)!;
    // Sorted 3 4 4 5 9: nearest rank p50 = 3rd = 4, p90 = 5th = 9.
    expect(stats).toMatchObject({ observations: 5, p50: 4, p90: 9, planned: 4, late: true });
    expect(stats.partialShare).toBeCloseTo(1 / 5, 12);
    expect(stats.cancelledShare).toBeCloseTo(1 / 7, 12);
    // Delays beyond the planned 4 days, in delivery order: 0 0 0 1 5.
    expect(stats.delays).toEqual([0, 0, 0, 1, 5]);
    expect(leadTimeStats(records.slice(0, 3), 4)?.late).toBe(false);
  });

  it("per article where five deliveries exist, against the article's own planned lead time", () => {
    const line = (d: number, days: number) => ({
      supplierId: 2,
      articleId: 9,
      orderedOn: day(d),
      receivedOn: day(d + days),
      status: "LIVREE",
      ordered: 12,
      received: 12,
    });
    const { byArticle, bySupplier } = observedLeadTimes(
      [],
      DeliveryLines.from([line(0, 2), line(7, 2), line(14, 3), line(21, 2), line(28, 6)]),
      new Map([[2, 5]]),
      new Map([[9, 2]]),
    );
    expect(bySupplier.size).toBe(0);
    expect(byArticle.get("2:9")).toMatchObject({ observations: 5, p50: 2, p90: 6, planned: 2 });
  });
});

describe("purchase orders", () => {
  it("refuses a quantity that is not whole packs or under the minimum, naming the nearest", () => {
    expect(() => checkOrderQuantity(10, 6, 0)).toThrow(/6 or 12/);
    expect(() => checkOrderQuantity(18, 6, 24)).toThrow(/at least 24/);
    try {
      checkOrderQuantity(4, 6, 0);
    } catch (error) {
      expect((error as OrderInputError).code).toBe("not_pack_multiple");
      expect((error as Error).message).toMatch(/: 6$/);
    }
    expect(() => checkOrderQuantity(24, 6, 24)).not.toThrow();
  });

  it("one order per supplier and store, totals and the gap to free delivery", () => {
    const line = {
      articleId: 1,
      reference: "A",
      name: "Pâtes",
      unit: "u",
      storeId: 1,
      storeCode: "MAG01",
      storeName: "Lyon",
      supplierId: 3,
      supplier: "Fournil",
      packSize: 1,
      minimumOrder: 0,
    };
    const orders = purchaseOrders(
      [
        { ...line, quantity: 10, unitPrice: 12 },
        { ...line, articleId: 2, reference: "B", quantity: 5, unitPrice: 12 },
        { ...line, articleId: 3, reference: "C", quantity: 2, unitPrice: null },
        { ...line, storeId: 2, storeCode: "MAG02", quantity: 1, unitPrice: 12 },
      ],
      new Map([[3, { id: 3, name: "Fournil", email: null, phone: null, franco: 250 }]]),
      "2026-11-25",
    );
    expect(orders.map((o) => o.number)).toEqual(["CMD-20261125-3-MAG01", "CMD-20261125-3-MAG02"]);
    // 10 × 12 + 5 × 12 = 180; franco 250: 70 missing; the line without price is counted apart.
    expect(orders[0]).toMatchObject({ total: 180, francoGap: 70, linesWithoutPrice: 1 });
    expect(orders[1]).toMatchObject({ total: 12, francoGap: 238 });
  });
});
