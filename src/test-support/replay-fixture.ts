import type { PeriodFigures } from "../domain/simulation/outcome.js";
import type { SeriesOutcome, SimulationResult } from "../simulation/run-simulation.js";

/**
 * A replay as `optiflow simulate` stores it, made up: one article in each of stores 1 and 2 (or
 * in the one store replayed), under `marge`, saving `savings[store − 1]` each, and ending with 10
 * more of stock than the shop. For tests of which replay a page shows, not of the replay.
 */
export function syntheticReplay(
  storeId: number | null,
  savings: readonly [number, number],
): SimulationResult {
  const stores = storeId === null ? [1, 2] : [storeId];
  const rows: SeriesOutcome[] = stores.map((store) => ({
    articleId: 1,
    storeId: store,
    reference: "ART-000001",
    name: "Article",
    storeCode: `MAG0${store}`,
    policy: "marge",
    optiflow: figures(0, 10),
    actual: figures(savings[store - 1]!, 0),
    savings: { carrying: 0, margin: savings[store - 1]!, expired: 0, total: savings[store - 1]! },
    estimatedDays: 0,
    orderDays: [],
  }));
  const total = rows.reduce((n, r) => n + r.savings.total, 0);
  return {
    from: "2026-08-26",
    to: "2026-11-24",
    weeks: 13,
    storeId,
    marginPct: 10,
    carryingCostRate: 0.2,
    series: rows.length,
    skipped: { noStockHistory: 0, noForecast: 0 },
    estimatedDemandDays: 0,
    policies: [
      {
        policy: "marge",
        optiflow: figures(0, 10 * rows.length),
        actual: figures(total, 0),
        savings: {
          carrying: 0,
          margin: total,
          expired: 0,
          total,
          formula: "",
          carryingRatePct: 20,
          days: 91,
        },
        byStore: [],
        worst: [],
      },
    ],
    rows,
  };
}

function figures(lostMargin: number, endStockValue: number): PeriodFigures {
  return {
    stockOutDays: 0,
    lostUnits: 0,
    lostRevenue: 0,
    lostMargin,
    averageStockValue: 0,
    endStockValue,
    orders: 0,
    orderLines: 0,
    expiredUnits: 0,
    expiredValue: 0,
  };
}
