import { afterAll, describe, expect, it } from "vitest";
import type { PeriodFigures } from "../../domain/simulation/outcome.js";
import type { SeriesOutcome, SimulationResult } from "../../simulation/run-simulation.js";
import { demoDatabase } from "../../test-support/demo-fixture.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import type { Db } from "../open.js";
import { openOptiflowDatabase } from "./open-optiflow.js";
import { latestReplayFor, measuredSavings, storeSimulation } from "./simulations-repository.js";

const temp = createTempDir();
afterAll(() => temp.remove());

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

/** One article in each of stores 1 and 2, saving `savings[store − 1]` each, under `marge`. */
function replay(storeId: number | null, savings: readonly [number, number]): SimulationResult {
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

function store(db: Db, result: SimulationResult, actor: string): number {
  return storeSimulation(db, result, { at: "2026-11-25T06:00:00.000Z", actor, seconds: 1 });
}

describe("the replay a store's Dashboard measures its savings on", () => {
  it("is the freshest: the store's own, or its part of a later replay of every store", () => {
    const db = openOptiflowDatabase(demoDatabase(temp.path, "replays.db"));
    try {
      expect(measuredSavings(db, 1)).toBeNull();
      const firstChain = store(db, replay(null, [100, 40]), "schedule");
      expect(measuredSavings(db, 1)).toMatchObject({
        simulationId: firstChain,
        partOfChain: true,
        policies: [{ policy: "marge", total: 100, endStockDelta: 10 }],
      });
      // A user's replay of store 1: its own, newer than every store's.
      const own = store(db, replay(1, [7, 0]), "cli:manager");
      expect(latestReplayFor(db, 1)).toMatchObject({ own: { id: own }, chainId: null });
      expect(measuredSavings(db, 1)).toMatchObject({
        simulationId: own,
        partOfChain: false,
        policies: [{ policy: "marge", total: 7, endStockDelta: 10 }],
      });
      expect(measuredSavings(db, 2)).toMatchObject({ simulationId: firstChain, partOfChain: true });
      // The next weekly replay of every store: store 1's own is now the older measure.
      const nextChain = store(db, replay(null, [-30, 55]), "schedule");
      expect(latestReplayFor(db, 1)).toEqual({ own: null, chainId: nextChain });
      expect(measuredSavings(db, 1)).toMatchObject({
        simulationId: nextChain,
        partOfChain: true,
        policies: [{ policy: "marge", total: -30, endStockDelta: 10 }],
      });
      expect(measuredSavings(db, null)).toMatchObject({
        simulationId: nextChain,
        partOfChain: false,
        policies: [{ policy: "marge", total: 25, endStockDelta: 20 }],
      });
      expect(latestReplayFor(db, null)).toMatchObject({ own: { id: nextChain }, chainId: null });
    } finally {
      db.close();
    }
  });
});
