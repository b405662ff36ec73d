import { describe, expect, it } from "vitest";
import {
  STOP_GROUP,
  STOPPED_DAYS,
  STOPPED_HORIZON,
  STOPPED_SPEC,
  storeWithStops,
} from "../../test-support/stopped-store.js";
import { QUIET_FLOOR } from "./calibration.js";
import {
  chainQuietFactor,
  forecastStore,
  forecastStoreSeries,
  type SeriesResult,
} from "./forecast-store.js";
import { DEFAULT_SELECTION } from "./pipeline-spec.js";

const plan = { origin: STOPPED_DAYS, horizon: STOPPED_HORIZON };
const total = (r: SeriesResult | null | undefined) =>
  Array.from(r?.mean ?? []).reduce((a, b) => a + b, 0);

describe("series after a sudden stop", () => {
  const series = storeWithStops();
  const withStops = forecastStore(series, plan, STOPPED_SPEC);
  const without = forecastStore(series, plan, {
    ...STOPPED_SPEC,
    selection: { ...DEFAULT_SELECTION, quietStops: undefined },
  });

  it("take the quiet factor the store learned on the windows that began with a stop", () => {
    // Those windows sold nothing: the factor is its floor.
    expect(withStops.calibration.quiet).toBe(QUIET_FLOOR);
    // Without the rule, a week without a sale is too short to count: the only quiet windows are
    // those that began five weeks into a stop, when the series sold again.
    expect(without.calibration.quiet).toBe(1);
    const stopped = withStops.results.slice(-STOP_GROUP);
    for (const [k, r] of stopped.entries()) {
      expect(r?.calibration).toBe(QUIET_FLOOR);
      const before = without.results[series.length - STOP_GROUP + k];
      expect(total(r)).toBeCloseTo(
        (total(before) * QUIET_FLOOR) / (before?.calibration ?? Number.NaN),
        6,
      );
    }
  });

  it("leave the series still selling as they were", () => {
    for (let k = 0; k < series.length - STOP_GROUP; k++)
      expect(Array.from(withStops.results[k]?.mean ?? [])).toEqual(
        Array.from(without.results[k]?.mean ?? []),
      );
  });
});

describe("a store with too few quiet weeks of its own", () => {
  // The steady and the stopped-at-origin groups: no selection window began with a stop.
  const all = storeWithStops();
  const small = [...all.slice(0, STOP_GROUP), ...all.slice(-STOP_GROUP)];
  const chain = forecastStoreSeries(all, plan, STOPPED_SPEC).results;

  it("takes the chain's quiet factor where the plan brings one", () => {
    const chainQuiet = chainQuietFactor(chain, STOPPED_SPEC);
    expect(chainQuiet).toBe(QUIET_FLOOR);
    const alone = forecastStore(small, plan, STOPPED_SPEC);
    expect(alone.calibration.quiet).toBeUndefined();
    const inChain = forecastStore(small, { ...plan, chainQuiet }, STOPPED_SPEC);
    for (let k = 0; k < STOP_GROUP; k++) {
      expect(inChain.results[k]?.calibration).toBe(alone.results[k]?.calibration);
      const stopped = inChain.results[STOP_GROUP + k];
      expect(stopped?.calibration).toBe(QUIET_FLOOR);
      expect(alone.results[STOP_GROUP + k]?.calibration).not.toBe(QUIET_FLOOR);
    }
  });

  it("has no chain factor to take when the spec keeps quiet factors per store", () => {
    expect(chainQuietFactor(chain, { ...STOPPED_SPEC, quietAcrossStores: false })).toBeNull();
    expect(chainQuietFactor(chain, { ...STOPPED_SPEC, quietCalibration: false })).toBeNull();
  });
});
