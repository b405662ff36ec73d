import { describe, expect, it } from "vitest";
import { safetyStockShortfall } from "./safety-stock-warning.js";

describe("safetyStockShortfall", () => {
  const below = { code: "below_safety_stock", safetyStock: 47, quantity: "margin" } as const;
  const raised = { code: "safety_stock_raised", safetyStock: 47, quantity: "service" } as const;

  it("gives the shop's safety stock where the margin quantity leaves the stock under it", () => {
    expect(safetyStockShortfall([below], "marge")).toBe(47);
    // A batch older than the setting follows the default, `marge`.
    expect(safetyStockShortfall([below, raised], null)).toBe(47);
  });

  it("says nothing where the quantity in force was raised to it, or no safety stock is set", () => {
    expect(safetyStockShortfall([below, raised], "niveau_de_service")).toBeNull();
    expect(safetyStockShortfall([], "marge")).toBeNull();
    const capped = { code: "shelf_life_capped", maxUnits: 3, quantity: "margin" } as const;
    expect(safetyStockShortfall([capped], "marge")).toBeNull();
  });
});
