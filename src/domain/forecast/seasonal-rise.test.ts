import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import { dayFromIso, weekdayOfDay } from "../calendar/days.js";
import { movingAverage } from "./baselines.js";
import { forecastStore } from "./forecast-store.js";
import type { StoreCalendar, StoreSeries } from "./model-input.js";
import { DEFAULT_PIPELINE, DEFAULT_SELECTION, type PipelineSpec } from "./pipeline-spec.js";
import { storeDefaultModel } from "./store-default.js";

/**
 * The failure the issue measured on real data: smooth category-level series with a strong yearly
 * cycle, forecast just before their seasonal rise. The recent windows all fall in the flat season,
 * where a level model scores best; chosen on them alone, a store's default was a level model that
 * cannot see the rise coming.
 */
const FIRST = dayFromIso("2022-01-01");
const ORIGIN = dayFromIso("2025-03-15") - FIRST;
const LENGTH = ORIGIN + 28;
const WEEKLY = [0.9, 0.9, 1.0, 1.0, 1.1, 1.4, 0.7];
const LEVEL_MODELS = ["weekday_mean_8w", "moving_average_28d", "croston", "sba", "tsb"];

/** Flat from October to February, up to 2.5 times higher in mid-May (a garden category). */
function season(i: number): number {
  const distance = Math.abs((i % 365.25) - 135);
  return 1 + 1.5 * Math.max(0, 1 - distance / 75) ** 1.5;
}

function gardenStore(count: number): { hidden: StoreSeries[]; actual: Float64Array[] } {
  const calendar: StoreCalendar = {
    firstDay: FIRST,
    length: LENGTH,
    open: new Uint8Array(LENGTH).fill(1),
    events: [],
  };
  const rng = createRng(7);
  const actual: Float64Array[] = [];
  const hidden = Array.from({ length: count }, (_, k) => {
    const level = 20 + 40 * rng();
    const sales = new Float64Array(LENGTH);
    for (let i = 0; i < LENGTH; i++)
      sales[i] = poisson(rng, level * (WEEKLY[weekdayOfDay(FIRST + i)] as number) * season(i));
    actual.push(sales.slice(ORIGIN));
    sales.fill(Number.NaN, ORIGIN);
    return {
      key: `garden-${k}`,
      input: { sales, discount: new Float32Array(LENGTH), calendar },
      knownDays: ORIGIN,
      categoryId: 1,
    };
  });
  return { hidden, actual };
}

/** Weekly WAPE over the four hidden weeks, every series pooled. */
function weeklyWape(forecasts: readonly Float64Array[], actual: readonly Float64Array[]): number {
  let error = 0;
  let total = 0;
  forecasts.forEach((f, k) => {
    const a = actual[k] as Float64Array;
    for (let w = 0; w < 4; w++) {
      let fw = 0;
      let aw = 0;
      for (let d = w * 7; d < w * 7 + 7; d++) {
        fw += f[d] as number;
        aw += a[d] as number;
      }
      error += Math.abs(fw - aw);
      total += aw;
    }
  });
  return error / total;
}

describe("a store of seasonal series just before their rise", () => {
  const { hidden, actual } = gardenStore(30);
  const recentOnly: PipelineSpec = {
    ...DEFAULT_PIPELINE,
    selection: { ...DEFAULT_SELECTION, yearAgoDefault: false },
  };
  const level = weeklyWape(
    hidden.map((s) => movingAverage(s.input, ORIGIN, 28)),
    actual,
  );

  it("gets a seasonal default, chosen with the same weeks a year earlier", () => {
    const withYear = storeDefaultModel(hidden, ORIGIN, 28, DEFAULT_PIPELINE);
    const without = storeDefaultModel(hidden, ORIGIN, 28, recentOnly);
    expect(LEVEL_MODELS).not.toContain(withYear.models.store);
    // What the issue saw: three flat windows alone set the store on a level model.
    expect(LEVEL_MODELS).toContain(without.models.store);
  });

  it("forecasts the rise: under half the 28-day mean's weekly error", () => {
    const { results } = forecastStore(hidden, { origin: ORIGIN, horizon: 28 });
    const served = weeklyWape(
      results.map((r) => r?.mean ?? new Float64Array(28)),
      actual,
    );
    expect(level).toBeGreaterThan(0.15);
    expect(served).toBeLessThan(level / 2);
  });
});
