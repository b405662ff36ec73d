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
      [1, { series: 2, since: 96 }],
      [2, { series: 1, since: 97 }],
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
      [2, { series: 1, since: 95 }],
      [1, { series: 1, since: 97 }],
    ]);
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
