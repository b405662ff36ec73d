import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import { dayFromIso, weekdayOfDay } from "../calendar/days.js";
import { PROMOTION_PENALTIES } from "./candidates.js";
import { forecastStore } from "./forecast-store.js";
import type { StoreCalendar, StoreSeries } from "./model-input.js";

const FIRST = dayFromIso("2023-01-02");
const LENGTH = 3 * 364 + 63;
const ORIGIN = 3 * 364 - 14;
const HORIZON = 35;
const WEEKLY = [0.8, 0.8, 0.9, 1.0, 1.2, 1.6, 0.7];

function calendar(): StoreCalendar {
  return {
    firstDay: FIRST,
    length: LENGTH,
    open: new Uint8Array(LENGTH).fill(1),
    events: [],
  };
}

/** A store of smooth, promoted and intermittent series, known up to `known` (excluded). */
function store(known: number): StoreSeries[] {
  const cal = calendar();
  const series: StoreSeries[] = [];
  for (let k = 0; k < 30; k++) {
    const rng = createRng(100 + k);
    const level = k % 3 === 2 ? 0.3 : 2 + k;
    const promoted = k % 3 === 1;
    const sales = new Float64Array(LENGTH).fill(Number.NaN);
    const discount = new Float32Array(LENGTH);
    for (let i = 0; i < LENGTH; i++) {
      if (promoted && i % 45 < 6) discount[i] = 0.3;
      const mean = level * (WEEKLY[weekdayOfDay(FIRST + i)] as number) * (1 + 2 * discount[i]!);
      if (i < known) sales[i] = poisson(rng, mean);
    }
    series.push({
      key: `${k}:1`,
      input: { sales, discount, calendar: cal },
      knownDays: known,
      categoryId: 1,
    });
  }
  return series;
}

describe("refitting a store's selection at a later origin", () => {
  it("gives, at the origin it was made at, the forecasts the selection served", () => {
    const series = store(ORIGIN);
    const selected = forecastStore(series, { origin: ORIGIN, horizon: HORIZON });
    const refitted = forecastStore(
      series,
      { origin: ORIGIN, horizon: HORIZON },
      undefined,
      selected.selection,
    );
    expect(selected.selection.choices.size).toBe(series.length);
    selected.results.forEach((r, k) => {
      const again = refitted.results[k];
      expect(again?.model).toBe(r?.model);
      expect(again?.phi).toBeCloseTo(r?.phi as number, 9);
      expect(again?.calibration).toBeCloseTo(r?.calibration as number, 9);
      r?.mean.forEach((m, h) => {
        expect(again?.mean[h]).toBeCloseTo(m, 6);
      });
      r?.heldOut?.forecast.forEach((m, h) => {
        expect(again?.heldOut?.forecast[h]).toBeCloseTo(m, 6);
      });
    });
    // The promotion penalty the Prophet-like model chose is part of the choice.
    const variants = [...selected.selection.choices.values()].flatMap((c) =>
      c.members.filter((m) => m.name === "prophet_like").map((m) => m.variant),
    );
    expect(variants.length).toBeGreaterThan(0);
    for (const v of variants) expect(PROMOTION_PENALTIES.choices).toContain(v);
  });

  it("forecasts a later origin from that origin's sales, by the same choices", () => {
    const before = store(ORIGIN);
    const selection = forecastStore(before, { origin: ORIGIN, horizon: HORIZON }).selection;
    const later = ORIGIN + 7;
    const series = store(later);
    // One more series, unknown to the selection: it is selected afresh.
    const extra = store(later)[0] as StoreSeries;
    series.push({ ...extra, key: "99:1" });
    const { results } = forecastStore(
      series,
      { origin: later, horizon: HORIZON },
      undefined,
      selection,
    );
    const fresh = forecastStore(series, { origin: later, horizon: HORIZON }).results;
    series.forEach((s, k) => {
      const r = results[k];
      const choice = selection.choices.get(s.key);
      if (choice) expect(r?.model).toBe(choice.model);
      else expect(r?.model).toBe(fresh[k]?.model);
      // Held out: the window just before the later origin, not the selection's.
      if (r?.heldOut) expect(r.heldOut.origin).toBe(later - 28);
      expect(r?.mean.every((m) => Number.isFinite(m) && m >= 0)).toBe(true);
    });
    // The week between the origins moved the forecasts: they were fitted again, not copied.
    const selectedMeans = forecastStore(before, { origin: ORIGIN, horizon: HORIZON }).results;
    const moved = results.filter((r, k) => k < 30 && r?.mean[0] !== selectedMeans[k]?.mean[7]);
    expect(moved.length).toBeGreaterThan(0);
  });
});
