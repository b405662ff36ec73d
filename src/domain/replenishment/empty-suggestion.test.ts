import { describe, expect, it } from "vitest";
import { emptySuggestion } from "./empty-suggestion.js";

describe("emptySuggestion", () => {
  // A critical row whose shelf empties on day 5 while 42 units on order arrive on day 7: the
  // 57 units at the target date cover its forecast, so the formula orders nothing.
  const critical = {
    level: "CRITIQUE",
    suggestedQty: 0,
    onHand: 15,
    stockAtTarget: 57,
    quantityNotes: [],
  };

  it("says the goods on order are what covers a flagged row's target date", () => {
    expect(emptySuggestion(critical, "marge")).toBe("covered_with_orders");
    expect(emptySuggestion({ ...critical, level: "ATTENTION" }, null)).toBe("covered_with_orders");
  });

  it("says the stock on hand covers it when nothing on order is counted", () => {
    const warning = { ...critical, level: "ATTENTION", onHand: 22, stockAtTarget: 22 };
    expect(emptySuggestion(warning, "niveau_de_service")).toBe("covered_by_stock");
    // Negative on-hand stock in the data, lifted by an order: the order is what covers.
    expect(emptySuggestion({ ...warning, onHand: -3, stockAtTarget: 9 }, "marge")).toBe(
      "covered_with_orders",
    );
  });

  it("says nothing of a row with a quantity, an OK row, or one without a forecast", () => {
    expect(emptySuggestion({ ...critical, suggestedQty: 6 }, "marge")).toBeNull();
    expect(emptySuggestion({ ...critical, level: "OK" }, "marge")).toBeNull();
    expect(emptySuggestion({ ...critical, level: "SANS_PREVISION" }, "marge")).toBeNull();
    expect(emptySuggestion({ ...critical, suggestedQty: null }, "marge")).toBeNull();
    expect(emptySuggestion({ ...critical, stockAtTarget: null }, "marge")).toBeNull();
  });

  it("leaves a 0 the shelf life explains to the shelf life's words", () => {
    const blocked = { code: "shelf_life_blocks_order", quantity: "service" } as const;
    const row = { ...critical, quantityNotes: [blocked] };
    expect(emptySuggestion(row, "niveau_de_service")).toBeNull();
    // Under `marge` the service-level quantity's note does not explain the margin quantity's 0.
    expect(emptySuggestion(row, "marge")).toBe("covered_with_orders");
  });
});
