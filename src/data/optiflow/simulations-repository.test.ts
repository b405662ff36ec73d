import { afterAll, describe, expect, it } from "vitest";
import type { SimulationResult } from "../../simulation/run-simulation.js";
import { demoDatabase } from "../../test-support/demo-fixture.js";
import { syntheticReplay } from "../../test-support/replay-fixture.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import type { Db } from "../open.js";
import { openOptiflowDatabase } from "./open-optiflow.js";
import { latestReplayFor, measuredSavings, storeSimulation } from "./simulations-repository.js";

const temp = createTempDir();
afterAll(() => temp.remove());

function store(db: Db, result: SimulationResult, actor: string): number {
  return storeSimulation(db, result, { at: "2026-11-25T06:00:00.000Z", actor, seconds: 1 });
}

describe("the replay a store's Dashboard measures its savings on", () => {
  it("is the freshest: the store's own, or its part of a later replay of every store", () => {
    const db = openOptiflowDatabase(demoDatabase(temp.path, "replays.db"));
    try {
      expect(measuredSavings(db, 1)).toBeNull();
      const firstChain = store(db, syntheticReplay(null, [100, 40]), "schedule");
      expect(measuredSavings(db, 1)).toMatchObject({
        simulationId: firstChain,
        partOfChain: true,
        policies: [{ policy: "marge", total: 100, endStockDelta: 10 }],
      });
      // A user's replay of store 1: its own, newer than every store's.
      const own = store(db, syntheticReplay(1, [7, 0]), "cli:manager");
      expect(latestReplayFor(db, 1)).toMatchObject({ own: { id: own }, chainId: null });
      expect(measuredSavings(db, 1)).toMatchObject({
        simulationId: own,
        partOfChain: false,
        policies: [{ policy: "marge", total: 7, endStockDelta: 10 }],
      });
      expect(measuredSavings(db, 2)).toMatchObject({ simulationId: firstChain, partOfChain: true });
      // The next weekly replay of every store: store 1's own is now the older measure.
      const nextChain = store(db, syntheticReplay(null, [-30, 55]), "schedule");
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
