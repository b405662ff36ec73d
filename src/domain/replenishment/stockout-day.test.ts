import { describe, expect, it } from "vitest";
import { assessAlert } from "./alert-level.js";
import { daysOfCover } from "./coverage.js";
import { currentStock } from "./stock-position.js";
import {
  lastOrderDay,
  salesKeptByOrder,
  salesLostBeforeDelivery,
  stockoutDay,
} from "./stockout-day.js";

const TODAY = 1000;
const rate = (perDay: number, days = 10) => new Array<number>(days).fill(perDay);

describe("the first day the shelf is empty, open orders counted on their day", () => {
  it("is the on-hand cover when nothing is on order", () => {
    const f = rate(3, 6);
    for (const stock of [-2, 0, 1, 3, 10, 17, 18, 100])
      expect(stockoutDay(f, stock, [], TODAY, true)).toBe(daysOfCover(f, stock));
  });

  it("counts a delivery arriving before the shelf empties", () => {
    // 43 on the shelf, 21 a day: it runs out during day 2; with 50 more today, during day 4.
    const f = rate(21);
    expect(stockoutDay(f, 43, [], TODAY, true)).toBe(2);
    expect(stockoutDay(f, 43, [{ quantity: 50, expectedDay: TODAY }], TODAY, true)).toBe(4);
  });

  it("gives the first stock-out when the delivery comes after it", () => {
    // 14 on the shelf, 10 a day: empty during day 1, refilled on day 3.
    const f = rate(10);
    const late = [{ quantity: 66, expectedDay: TODAY + 3 }];
    expect(stockoutDay(f, 14, late, TODAY, true)).toBe(1);
    // Arriving on day 1, the 66 units carry the shelf through day 7 (80 units, 10 a day).
    const early = [{ quantity: 66, expectedDay: TODAY + 1 }];
    expect(stockoutDay(f, 14, early, TODAY, true)).toBe(8);
  });

  it("moves the last day to order by an order due after the lead time", () => {
    // 100 on the shelf, 10 a day, 3 days' lead time; 200 due in 5 days. Counted from stock_actuel
    // (orders due within the lead time only), "order by" was day 7: a second order for nothing.
    const f = rate(10, 40);
    const due = [{ quantity: 200, expectedDay: TODAY + 5 }];
    expect(lastOrderDay(f, 100, due, TODAY, true, 3)).toBe(27);
    expect(lastOrderDay(f, 100, [], TODAY, true, 3)).toBe(7);
    expect(lastOrderDay(f, 100, due, TODAY, false, 3)).toBe(7);
  });

  it("leaves out of the last day to order an empty shelf no order placed today could fill", () => {
    // 5 on the shelf, 10 a day, 7 days' lead time, 100 due in 3 days: empty on days 0 to 2 (the
    // sales lost there do not empty the delivery), then the 100 last through day 12.
    const f = rate(10, 30);
    const due = [{ quantity: 100, expectedDay: TODAY + 3 }];
    expect(stockoutDay(f, 5, due, TODAY, true)).toBe(0);
    expect(lastOrderDay(f, 5, due, TODAY, true, 7)).toBe(6);
    // An empty shelf that nothing would sell from needs no order (the old rule agreed).
    expect(lastOrderDay(rate(0, 30), 0, [], TODAY, true, 7)).toBeNull();
    // Empty from today with nothing coming: today. A negative figure stays as the data has it.
    expect(lastOrderDay(f, 0, [], TODAY, true, 7)).toBe(0);
    expect(lastOrderDay(rate(3), -2, [{ quantity: 12, expectedDay: TODAY }], TODAY, true, 2)).toBe(
      1,
    );
  });

  it("counts an undated or late order as arriving today, as stock_actuel does", () => {
    const f = rate(5);
    expect(stockoutDay(f, 0, [{ quantity: 12, expectedDay: null }], TODAY, true)).toBe(2);
    expect(stockoutDay(f, 0, [{ quantity: 12, expectedDay: TODAY - 4 }], TODAY, true)).toBe(2);
  });

  it("ignores the orders when the setting leaves them out, and orders beyond the horizon", () => {
    const f = rate(5, 4);
    const orders = [{ quantity: 100, expectedDay: TODAY }];
    expect(stockoutDay(f, 7, orders, TODAY, false)).toBe(1);
    expect(stockoutDay(f, 7, [{ quantity: 100, expectedDay: TODAY + 4 }], TODAY, true)).toBe(1);
    expect(stockoutDay(f, 7, [{ quantity: 0, expectedDay: TODAY }], TODAY, true)).toBe(1);
  });

  it("calls an empty shelf on a closed day out, and a stock that lasts the horizon null", () => {
    expect(stockoutDay([0, 2, 2], 0, [{ quantity: 4, expectedDay: TODAY + 1 }], TODAY, true)).toBe(
      0,
    );
    expect(stockoutDay(rate(1, 5), 5, [], TODAY, true)).toBeNull();
    expect(stockoutDay(rate(1, 5), 4.5, [], TODAY, true)).toBe(4);
  });
});

describe("the sales the shelf misses before an order placed today could arrive", () => {
  it("counts the days the shelf waits for an order on its way, which SPEC's reste does not", () => {
    // 3 on the shelf, 120 due in 8 days, 9 a day, 14 days' lead time: reste = 123 − 126 = −3,
    // while the shelf misses 6 units today and 9 on each of the 7 days before the delivery.
    const f = rate(9, 30);
    const due = [{ quantity: 120, expectedDay: TODAY + 8 }];
    const stock = currentStock(3, due, TODAY + 13, true);
    expect(assessAlert(stock, f, 14).remaining).toBe(-3);
    expect(salesLostBeforeDelivery(f, 3, due, TODAY, true, 14)).toBe(69);
    // Due today, the same order leaves only reste's shortfall, at the end of the lead time.
    expect(
      salesLostBeforeDelivery(f, 3, [{ quantity: 120, expectedDay: TODAY }], TODAY, true, 14),
    ).toBe(3);
    // Late or undated orders count as arriving today, as stock_actuel counts them.
    for (const expectedDay of [null, TODAY - 3])
      expect(salesLostBeforeDelivery(f, 3, [{ quantity: 120, expectedDay }], TODAY, true, 14)).toBe(
        3,
      );
    // With the setting off, the orders count for nothing, as in the alert.
    expect(salesLostBeforeDelivery(f, 3, due, TODAY, false, 14)).toBe(123);
    // An order due after the lead time cannot fill it.
    expect(
      salesLostBeforeDelivery(f, 3, [{ quantity: 500, expectedDay: TODAY + 14 }], TODAY, true, 14),
    ).toBe(123);
  });

  it("misses nothing on a covered shelf, and at most the period's sales on a negative one", () => {
    expect(salesLostBeforeDelivery(rate(2), 40, [], TODAY, true, 7)).toBe(0);
    expect(salesLostBeforeDelivery(rate(2), 14, [], TODAY, true, 7)).toBe(0);
    // A negative figure from the data is filled first by what arrives, as on the sheet's chart.
    expect(
      salesLostBeforeDelivery(
        rate(3),
        -2,
        [{ quantity: 4, expectedDay: TODAY + 1 }],
        TODAY,
        true,
        4,
      ),
    ).toBe(10);
    expect(salesLostBeforeDelivery(rate(3), -50, [], TODAY, true, 4)).toBe(12);
    expect(salesLostBeforeDelivery([3, Number.NaN, 3], 0, [], TODAY, true, 3)).toBe(6);
  });

  it("is never below reste's shortfall nor above the forecast sales (random cases)", () => {
    let seed = 20_261_203;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let k = 0; k < 2_000; k++) {
      const lead = 1 + Math.floor(random() * 20);
      const f = Array.from({ length: 40 }, () => (random() < 0.3 ? 0 : random() * 12));
      const onHand = Math.floor(random() * 60);
      const orders = Array.from({ length: Math.floor(random() * 3) }, () => ({
        quantity: Math.floor(random() * 80),
        expectedDay: random() < 0.1 ? null : TODAY - 3 + Math.floor(random() * 30),
      }));
      const on = random() < 0.8;
      const lost = salesLostBeforeDelivery(f, onHand, orders, TODAY, on, lead);
      const { remaining, salesWithinLeadTime } = assessAlert(
        currentStock(onHand, orders, TODAY + lead - 1, on),
        f,
        lead,
      );
      expect(lost).toBeGreaterThanOrEqual(Math.max(0, -remaining) - 1e-9);
      expect(lost).toBeLessThanOrEqual(salesWithinLeadTime + 1e-9);
      // A shelf that lasts through the lead time, orders on their days, misses nothing.
      const out = stockoutDay(f, onHand, orders, TODAY, on);
      if (out === null || out >= lead) expect(lost).toBeCloseTo(0, 9);
    }
  });
});

describe("the forecast sales an order placed today keeps from being lost", () => {
  it("counts only what sells after it arrives, up to its target date", () => {
    // 20 on the shelf, 10 a day, lead time 4, target day 9: days 2–3 are lost whatever is
    // ordered; 50 arriving on day 4 serve days 4–8 (50 units), and day 9 stays lost.
    const f = rate(10, 20);
    const order = { arrival: 4, lastDay: 9, quantity: 50 };
    expect(salesKeptByOrder(f, 20, [], TODAY, true, order)).toBe(50);
    expect(salesKeptByOrder(f, 20, [], TODAY, true, { ...order, quantity: 80 })).toBe(60);
    // SPEC's shortfall before the delivery (20 units, days 2–3) is not something it keeps.
    expect(salesLostBeforeDelivery(f, 20, [], TODAY, true, 4)).toBe(20);
    // An order on its way covering days 4–7 leaves the new one days 8–9 to keep.
    const due = [{ quantity: 40, expectedDay: TODAY + 4 }];
    expect(salesKeptByOrder(f, 20, due, TODAY, true, { ...order, quantity: 80 })).toBe(20);
    expect(salesKeptByOrder(f, 20, due, TODAY, false, { ...order, quantity: 80 })).toBe(60);
  });

  it("is 0 for nothing ordered, an arrival after the target or a shelf that lasts", () => {
    const f = rate(10, 20);
    expect(salesKeptByOrder(f, 20, [], TODAY, true, { arrival: 4, lastDay: 9, quantity: 0 })).toBe(
      0,
    );
    expect(
      salesKeptByOrder(f, 20, [], TODAY, true, { arrival: 10, lastDay: 9, quantity: 50 }),
    ).toBe(0);
    expect(
      salesKeptByOrder(f, 200, [], TODAY, true, { arrival: 4, lastDay: 9, quantity: 50 }),
    ).toBe(0);
    expect(
      salesKeptByOrder([10, Number.NaN, 10, 10], 0, [], TODAY, true, {
        arrival: 1,
        lastDay: 3,
        quantity: 5,
      }),
    ).toBe(5);
  });

  it("keeps between nothing and its quantity, and what a longer target adds (random cases)", () => {
    let seed = 20_261_204;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let k = 0; k < 2_000; k++) {
      const f = Array.from({ length: 40 }, () => (random() < 0.3 ? 0 : random() * 12));
      const onHand = Math.floor(random() * 60) - 5;
      const orders = Array.from({ length: Math.floor(random() * 3) }, () => ({
        quantity: Math.floor(random() * 80),
        expectedDay: random() < 0.1 ? null : TODAY - 3 + Math.floor(random() * 30),
      }));
      const on = random() < 0.8;
      const arrival = 1 + Math.floor(random() * 15);
      const lastDay = arrival + Math.floor(random() * 20);
      const quantity = Math.floor(random() * 100);
      const kept = salesKeptByOrder(f, onHand, orders, TODAY, on, { arrival, lastDay, quantity });
      expect(kept).toBeGreaterThanOrEqual(-1e-9);
      expect(kept).toBeLessThanOrEqual(quantity + 1e-9);
      const sales = f.slice(arrival, lastDay + 1).reduce((a, b) => a + b, 0);
      expect(kept).toBeLessThanOrEqual(sales + 1e-9);
      const longer = { arrival, lastDay: lastDay + 1, quantity };
      expect(salesKeptByOrder(f, onHand, orders, TODAY, on, longer)).toBeGreaterThanOrEqual(
        kept - 1e-9,
      );
    }
  });
});
