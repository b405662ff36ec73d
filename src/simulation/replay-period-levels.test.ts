import { describe, expect, it } from "vitest";
import type { SalesHistory } from "../batch/read-history-in-workers.js";
import { DEFAULT_PERIOD_LEVEL } from "../domain/forecast/level-uncertainty.js";
import {
  HELD_OUT_DAYS,
  learnReplayLevels,
  type MadeForecast,
  replayLevelOf,
} from "./replay-period-levels.js";

const FIRST_DAY = 20_000;
const ORIGIN = FIRST_DAY + 100;

/** Series of store 1 forecast at 2 a day that then sold `sold(d)`, and a few of store 2. */
function replay(sold: (d: number) => number, first = 0) {
  const forecasts = new Map<string, MadeForecast>();
  const series = new Map<string, Float64Array>();
  const stockOuts = new Map<string, number[]>();
  // From `first` = 40 on, store 2's five series only.
  for (let i = first; i < 45; i++) {
    const store = i < 40 ? 1 : 2;
    const key = `${i}:${store}`;
    forecasts.set(key, {
      mean: new Float32Array(63).fill(2),
      phi: 0,
      storeId: store,
      demandClass: "smooth",
    });
    // The days before the origin sold nothing: only the 28 days from it are compared.
    series.set(
      key,
      Float64Array.from({ length: 200 }, (_, t) => (t >= 100 ? sold(t - 100) : 0)),
    );
    // A stock-out day's sales are not its demand: left out of the comparison.
    stockOuts.set(key, [ORIGIN + 3]);
    series.get(key)?.fill(0, 103, 104);
  }
  const history: SalesHistory = { sales: { series, storeDays: new Map() }, stockOuts };
  return learnReplayLevels({ origin: ORIGIN, forecasts }, history, FIRST_DAY);
}

describe("period levels of a replayed origin (replay-period-levels.ts)", () => {
  it("learn each store's level on its forecast made 28 days before, against what sold since, a small store's from its chain", () => {
    const levels = replay((d) => (d < HELD_OUT_DAYS ? 2.4 : 100));
    const store1 = replayLevelOf(levels, 1, "smooth");
    // 2.4 sold a day for 2 forecast; the stock-out day, read as 0 otherwise, is left out.
    expect(store1.factor).toBeCloseTo(1.2, 6);
    // Every week sold exactly 1.2 × its forecast: no spread beyond the factor.
    expect(store1.variance).toBe(0);
    // Five series are too few for a store of their own: the chain's, learned on all 45.
    expect(replayLevelOf(levels, 2, "smooth").factor).toBeCloseTo(1.2, 6);
    expect(replayLevelOf(new Map(), 1, "smooth")).toBe(DEFAULT_PERIOD_LEVEL);
    // A store alone and too small takes the default.
    const alone = replay((d) => (d < HELD_OUT_DAYS ? 2.4 : 100), 40);
    expect(replayLevelOf(alone, 2, "smooth")).toBe(DEFAULT_PERIOD_LEVEL);
  });
});
