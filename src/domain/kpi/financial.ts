/**
 * SPEC §6 step 7: forecast vs actual revenue, and the savings Optiflow's orders stand for.
 * The formulas are returned as text with the figures, so the page can show them.
 */
export interface FinancialKpis {
  revenueActual4w: number;
  /** Forecast of the last 4 weeks made before them (the held-out window), or null. */
  revenueForecast4w: number | null;
  revenueForecastSource: "held_out" | "none";
  revenueForecastNext4w: number;
  savings: {
    /** Margin of the forecast sales today's suggested orders keep from being lost. */
    lostMarginAvoided: number;
    overstockCost: number;
    total: number;
    /** In French, for the CLI and the runs published before `carryingRatePct`. */
    formula: string;
    /** The yearly carrying cost in the formula (%): the pages write it in the reader's language. */
    carryingRatePct: number;
    /**
     * What the lost margin counts: the sales the suggested orders keep. Absent from runs published
     * before, whose figure counted the critical articles' shortfall before the delivery.
     */
    basis?: "sales_kept";
  };
}

export interface FinancialRow {
  shelfPrice: number | null;
  purchasePrice: number | null;
  vatRate: number;
  forecastNext28: number;
  /** Forecast sales the suggested order keeps from being lost up to its target date (units). */
  salesKept: number;
  overstockUnits: number;
}

/** Default yearly cost of holding stock, as a share of its value (setting carrying_cost_rate). */
export const HOLDING_COST_RATE = 0.2;

export function financialKpis(
  rows: readonly FinancialRow[],
  revenueActual4w: number,
  revenueForecast4w: number | null,
  holdingCostRate = HOLDING_COST_RATE,
): FinancialKpis {
  let next = 0;
  let lostMargin = 0;
  let overstock = 0;
  for (const r of rows) {
    const price = r.shelfPrice ?? 0;
    next += r.forecastNext28 * price;
    const unitMargin = Math.max(
      0,
      price / (1 + r.vatRate / 100) - (r.purchasePrice ?? price / (1 + r.vatRate / 100)),
    );
    lostMargin += r.salesKept * unitMargin;
    overstock += r.overstockUnits * (r.purchasePrice ?? 0) * (holdingCostRate / 12);
  }
  return {
    revenueActual4w,
    revenueForecast4w,
    revenueForecastSource: revenueForecast4w === null ? "none" : "held_out",
    revenueForecastNext4w: next,
    savings: {
      lostMarginAvoided: lostMargin,
      overstockCost: overstock,
      total: lostMargin + overstock,
      formula: `économies = Σ commandes suggérées (ventes prévues qu'elles gardent d'ici leur date cible × marge unitaire HT) + Σ surstock (unités au-delà de 60 jours de couverture × prix d'achat × ${Math.round(holdingCostRate * 1000) / 10} %/an ÷ 12)`,
      carryingRatePct: Math.round(holdingCostRate * 1000) / 10,
      basis: "sales_kept",
    },
  };
}
