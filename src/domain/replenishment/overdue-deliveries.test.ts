import { describe, expect, it } from "vitest";
import { overdueBySupplier } from "./overdue-deliveries.js";

const TODAY = 100;

describe("deliveries past their day, per supplier", () => {
  it("counts each series once, from its earliest late day", () => {
    const late = overdueBySupplier(
      [
        // Two late lines and one on time: one series, late since day 96.
        {
          supplierId: 1,
          lines: [
            { quantity: 24, expectedDay: 98 },
            { quantity: 12, expectedDay: 96 },
            { quantity: 24, expectedDay: 103 },
          ],
        },
        { supplierId: 1, lines: [{ quantity: 6, expectedDay: 99 }] },
        { supplierId: 2, lines: [{ quantity: 6, expectedDay: 97 }] },
      ],
      TODAY,
    );
    expect([...late]).toEqual([
      [1, { series: 2, since: 96, orders: [] }],
      [2, { series: 1, since: 97, orders: [] }],
    ]);
  });

  it("owes each line to its order's supplier, the article's when the line does not say", () => {
    const late = overdueBySupplier(
      [
        {
          supplierId: 1,
          lines: [
            { quantity: 24, expectedDay: 95, supplierId: 2 },
            { quantity: 24, expectedDay: 97 },
          ],
        },
      ],
      TODAY,
    );
    expect([...late]).toEqual([
      [2, { series: 1, since: 95, orders: [] }],
      [1, { series: 1, since: 97, orders: [] }],
    ]);
  });

  it("names each late order once, the longest overdue first, an order on time left out", () => {
    const late = overdueBySupplier(
      [
        // One order of two articles, late since day 97; another since 95; one due tomorrow.
        {
          supplierId: 1,
          lines: [
            { quantity: 24, expectedDay: 97, order: "CMD-20" },
            { quantity: 6, expectedDay: 101, order: "CMD-30" },
          ],
        },
        { supplierId: 1, lines: [{ quantity: 12, expectedDay: 97, order: "CMD-20" }] },
        { supplierId: 1, lines: [{ quantity: 12, expectedDay: 95, order: "CMD-21" }] },
        // Two orders due the same day: by number, as read. A line without one counts as a series.
        {
          supplierId: 2,
          lines: [
            { quantity: 1, expectedDay: 98, order: "B-2" },
            { quantity: 1, expectedDay: 98, order: "B-10" },
          ],
        },
        { supplierId: 2, lines: [{ quantity: 1, expectedDay: 99 }] },
        // An order of another supplier than the article's.
        { supplierId: 1, lines: [{ quantity: 3, expectedDay: 96, order: "X-1", supplierId: 3 }] },
      ],
      TODAY,
    );
    expect(late.get(1)).toEqual({ series: 3, since: 95, orders: ["CMD-21", "CMD-20"] });
    expect(late.get(2)).toEqual({ series: 2, since: 98, orders: ["B-2", "B-10"] });
    expect(late.get(3)).toEqual({ series: 1, since: 96, orders: ["X-1"] });
  });

  it("leaves out what is due today or later, undated, delivered or without a supplier", () => {
    const late = overdueBySupplier(
      [
        { supplierId: 1, lines: [{ quantity: 24, expectedDay: TODAY }] },
        { supplierId: 1, lines: [{ quantity: 24, expectedDay: null }] },
        { supplierId: 1, lines: [{ quantity: 0, expectedDay: 90 }] },
        { supplierId: null, lines: [{ quantity: 24, expectedDay: 90 }] },
        { supplierId: 3, lines: [] },
      ],
      TODAY,
    );
    expect(late.size).toBe(0);
  });
});
