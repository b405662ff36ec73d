import { describe, expect, it } from "vitest";
import { type FinancialRow, financialKpis } from "./financial.js";

const row = (over: Partial<FinancialRow>): FinancialRow => ({
  shelfPrice: 12,
  purchasePrice: 6,
  vatRate: 20,
  forecastNext28: 0,
  salesKept: 0,
  overstockUnits: 0,
  ...over,
});

describe("financial health", () => {
  it("values the sales the suggested orders keep at their margin, and the overstock's carrying cost", () => {
    // Margin before VAT: 12 / 1.2 − 6 = 4 a unit; 30 units kept = 120. Overstock: 100 units at 6,
    // 20% a year for a month = 10.
    const k = financialKpis(
      [row({ salesKept: 30, forecastNext28: 50 }), row({ overstockUnits: 100 })],
      1_000,
      900,
      0.2,
    );
    expect(k.savings.lostMarginAvoided).toBeCloseTo(120, 9);
    expect(k.savings.overstockCost).toBeCloseTo(10, 9);
    expect(k.savings.total).toBeCloseTo(130, 9);
    expect(k.savings.basis).toBe("sales_kept");
    expect(k.savings.formula).toContain("ventes prévues qu'elles gardent");
    expect(k.revenueForecastNext4w).toBeCloseTo(600, 9);
  });

  it("counts no margin where the purchase price is above the shelf price before VAT", () => {
    const k = financialKpis([row({ salesKept: 30, purchasePrice: 11 })], 0, null);
    expect(k.savings.lostMarginAvoided).toBe(0);
    expect(k.revenueForecastSource).toBe("none");
  });
});
