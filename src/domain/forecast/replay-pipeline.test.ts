import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import { dayFromIso, weekdayOfDay } from "../calendar/days.js";
import { forecastStore } from "./forecast-store.js";
import type { StoreCalendar, StoreSeries } from "./model-input.js";
import { DEFAULT_PIPELINE, REPLAY_PIPELINE } from "./pipeline-spec.js";

/**
 * `optiflow simulate` forecasts with REPLAY_PIPELINE, which skips the held-out window's
 * forecast: its means and φ must be the batch pipeline's, to the bit, on a store where the
 * choices are made (a store default, ensembles, promotions, intermittent series).
 */
const FIRST = dayFromIso("2023-01-02");
const HISTORY = 3 * 364;
const HORIZON = 63;
const WEEKLY = [0.8, 0.8, 0.9, 1.0, 1.2, 1.6, 0.7];

function store(count: number, seed: number): StoreSeries[] {
  const length = HISTORY + HORIZON;
  const calendar: StoreCalendar = {
    firstDay: FIRST,
    length,
    open: new Uint8Array(length).fill(1),
    events: [],
  };
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, k) => {
    const level = k % 4 === 0 ? 0.2 + rng() * 0.3 : 2 + rng() * 20;
    const sales = new Float64Array(length).fill(Number.NaN);
    const discount = new Float32Array(length);
    // Promotions on some series, some of them in the selection windows.
    if (k % 3 === 0)
      for (let p = 60 + k * 7; p < HISTORY; p += 97) discount.fill(0.3, p, Math.min(p + 7, length));
    for (let i = 0; i < HISTORY; i++) {
      const yearly = 1 + 0.3 * Math.sin((2 * Math.PI * i) / 365.25 + k);
      const lift = 1 + 2 * (discount[i] as number);
      sales[i] = poisson(rng, level * (WEEKLY[weekdayOfDay(FIRST + i)] as number) * yearly * lift);
    }
    return {
      key: `s${k}`,
      input: { sales, discount, calendar },
      knownDays: HISTORY,
      categoryId: k % 3,
    };
  });
}

describe("the replay's pipeline", () => {
  it("serves the batch pipeline's means and φ, without the held-out forecast", () => {
    const series = store(40, 7);
    const plan = { origin: HISTORY, horizon: HORIZON };
    const batch = forecastStore(series, plan, DEFAULT_PIPELINE);
    const replay = forecastStore(series, plan, REPLAY_PIPELINE);
    expect(new Set(batch.results.map((r) => r?.model)).size).toBeGreaterThan(1);
    expect(replay.calibration).toEqual(batch.calibration);
    replay.results.forEach((r, k) => {
      const b = batch.results[k];
      expect(r?.model).toBe(b?.model);
      expect(r?.phi).toBe(b?.phi);
      expect(Array.from(r?.mean ?? [])).toEqual(Array.from(b?.mean ?? []));
      expect(b?.heldOut).not.toBeNull();
      expect(r?.heldOut).toBeNull();
    });
  });
});
