import { describe, expect, it } from "vitest";
import { QUIET_FLOOR } from "./calibration.js";
import { calibrateStore, type SeriesResult } from "./forecast-store.js";
import { NOMINAL_LEVELS } from "./interval-calibration.js";
import { INDEPENDENT_DAYS } from "./level-uncertainty.js";
import { DEFAULT_PIPELINE } from "./pipeline-spec.js";

/**
 * A result whose backtest weeks were forecast exactly (class factor 1), and whose quiet weeks
 * sold nothing: the store's quiet factor is its floor.
 */
function result(quiet: { now: boolean; heldOut: boolean }): SeriesResult {
  return {
    model: "tsb",
    phi: 0.3,
    backtest: { error: 0, total: 0, apeSum: 0, apeWeeks: 0 },
    demandClass: "smooth",
    mean: new Float64Array(28).fill(2),
    scores: {},
    dispersion: { aa: 1, af: 1, ff: 1, f: 1 },
    backtestWeeks: Float64Array.from({ length: 24 }, () => 14),
    quietWeeks: Float64Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? 14 : 0)),
    quiet,
    heldOut: { origin: 100, forecast: new Float64Array(28).fill(2) },
    calibration: 1,
    quietFactor: false,
    interval: NOMINAL_LEVELS,
    periodLevel: INDEPENDENT_DAYS,
    choice: null,
  };
}

describe("a store's quiet series", () => {
  const states: SeriesResult["quiet"][] = [
    { now: true, heldOut: false },
    { now: false, heldOut: true },
    { now: false, heldOut: false },
  ];

  it("take the quiet factor, learned over the store, where they are quiet", () => {
    const results = Array.from({ length: 60 }, (_, k) =>
      result(states[k % 3] as SeriesResult["quiet"]),
    );
    const factors = calibrateStore(results, DEFAULT_PIPELINE);
    expect(factors.quiet).toBe(QUIET_FLOOR);
    expect(factors.smooth).toBe(1);
    results.forEach((r, k) => {
      const state = states[k % 3] as SeriesResult["quiet"];
      expect(r.mean[0]).toBe(state.now ? 2 * QUIET_FLOOR : 2);
      expect(r.calibration).toBe(state.now ? QUIET_FLOOR : 1);
      expect(r.quietFactor).toBe(state.now);
      expect(r.heldOut?.forecast[0]).toBe(state.heldOut ? 2 * QUIET_FLOOR : 2);
    });
  });

  it("keep their class's factor when the spec says so", () => {
    const results = Array.from({ length: 60 }, (_, k) =>
      result(states[k % 3] as SeriesResult["quiet"]),
    );
    const factors = calibrateStore(results, { ...DEFAULT_PIPELINE, quietCalibration: false });
    expect(factors.quiet).toBeUndefined();
    for (const r of results) expect(r.mean[0]).toBe(2);
    for (const r of results) expect(r.quietFactor).toBe(false);
  });
});
