import { describe, expect, it } from "vitest";
import { projectedStock } from "./projected-stock.js";

describe("the projected stock of the article sheet", () => {
  it("loses the sales an empty shelf cannot make instead of taking them from the next delivery", () => {
    // 3 on the shelf, 10 a day, 120 arriving on day 3, the suggested 50 on day 5.
    const forecast = [10, 10, 10, 10, 10, 10, 10];
    const arriving = [0, 0, 0, 120, 0, 0, 0];
    const { withoutOrder, withOrder } = projectedStock(forecast, 3, arriving, 5, 50);
    // Counted as owed (the chart before), day 3 ended at 3 − 30 + 120 − 10 = 83, not 110.
    expect(withoutOrder).toEqual([0, 0, 0, 110, 100, 90, 80]);
    expect(withOrder).toEqual([0, 0, 0, 110, 100, 140, 130]);
  });

  it("keeps a closed day's stock, and a negative count from the data as it is until a delivery", () => {
    const { withoutOrder } = projectedStock([5, 0, 5, 5], -2, [0, 0, 10, 0], 9, 0);
    expect(withoutOrder).toEqual([-2, -2, 3, 0]);
    expect(projectedStock([2.5, 2.5], 4, [0, 0], 0, 6).withOrder).toEqual([7.5, 5]);
  });
});
