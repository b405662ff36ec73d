import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import { fitStorePooled } from "./forecast-store.js";
import type { StoreCalendar, StoreSeries } from "./model-input.js";
import { DEFAULT_PIPELINE } from "./pipeline-spec.js";
import { selectionWindows } from "./select-model.js";

const DAYS = 900;
const ORIGIN = DAYS;

/** A store of Poisson series with their own levels and a shared weekly shape. */
function store(seed: number): StoreSeries[] {
  const rng = createRng(seed);
  const calendar: StoreCalendar = {
    firstDay: 19_000,
    length: DAYS + 28,
    open: new Uint8Array(DAYS + 28).fill(1),
    events: [],
  };
  return Array.from({ length: 40 }, (_, k) => {
    const level = 0.5 + 6 * rng();
    const sales = new Float64Array(DAYS + 28).fill(Number.NaN);
    for (let t = 0; t < DAYS; t++)
      sales[t] = poisson(rng, level * (1 + 0.4 * Math.sin((2 * Math.PI * t) / 7)));
    return {
      key: String(k),
      input: { sales, discount: new Float32Array(DAYS + 28), calendar },
      knownDays: DAYS,
      categoryId: null,
    };
  });
}

/** The same store with its sales tripled over [from, to). */
function tripled(series: readonly StoreSeries[], from: number, to: number): StoreSeries[] {
  return series.map((s) => {
    const sales = Float64Array.from(s.input.sales);
    for (let t = from; t < to; t++) sales[t] = 3 * (sales[t] as number);
    return { ...s, input: { ...s.input, sales } };
  });
}

describe("the pooled model's training window", () => {
  const series = store(11);
  const { heldOut, scoring } = selectionWindows(ORIGIN, DEFAULT_PIPELINE.selection);
  const firstSelection = Math.min(...scoring);
  const through = { ...DEFAULT_PIPELINE, pooledSeesSelection: true };
  const coefficients = (s: readonly StoreSeries[], spec = DEFAULT_PIPELINE) =>
    Array.from(fitStorePooled(s, ORIGIN, spec)?.coefficients ?? []);

  it("reads nothing from the selection windows on: every window it is scored on is out of sample", () => {
    expect(heldOut).toBe(ORIGIN - 28);
    const changed = tripled(series, firstSelection, ORIGIN);
    expect(coefficients(changed)).toEqual(coefficients(series));
  });

  it("trained through the selection windows when asked, never through the held-out window", () => {
    const before = coefficients(series, through);
    expect(coefficients(tripled(series, firstSelection, heldOut as number), through)).not.toEqual(
      before,
    );
    expect(coefficients(tripled(series, heldOut as number, ORIGIN), through)).toEqual(before);
  });
});
