import { describe, expect, it } from "vitest";
import { orderByShown } from "../web/src/pages/order-by.js";

describe("the Alerts table's 'order by' day", () => {
  const today = "2026-12-05";

  it("keeps the day of a row that suggests a quantity, however far", () => {
    expect(orderByShown({ orderBy: "2026-12-22", suggestedQty: 42 }, today)).toBe("2026-12-22");
  });

  it("shows the day within two weeks, and nothing beyond on a row with nothing to order", () => {
    expect(orderByShown({ orderBy: "2026-12-19", suggestedQty: 0 }, today)).toBe("2026-12-19");
    expect(orderByShown({ orderBy: "2026-12-20", suggestedQty: 0 }, today)).toBeNull();
    expect(orderByShown({ orderBy: "2026-12-20", suggestedQty: null }, today)).toBeNull();
    expect(orderByShown({ orderBy: null, suggestedQty: 5 }, today)).toBeNull();
  });
});
