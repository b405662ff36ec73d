import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type BenchStore, closedDays } from "../bench/datasets/panel.js";
import {
  batchView,
  HORIZON,
  knownDays,
  maskedStore,
  windowActuals,
} from "../bench/rolling-origins.js";
import { addWeeks, emptySums, wapeOf } from "../bench/window-score.js";
import { dayFromIso } from "../src/domain/calendar/days.js";
import { movingAverage, seasonalNaive, weekdayMean } from "../src/domain/forecast/baselines.js";
import { forecastStore } from "../src/domain/forecast/forecast-store.js";
import type { SeriesInput, StoreSeries } from "../src/domain/forecast/model-input.js";

/**
 * A small accuracy regression in CI (issue 13): 40 real series of two public data sets, kept in
 * test/fixtures so that CI needs nothing else, forecast over their last four weeks by the
 * pipeline the batch runs. A change that makes these forecasts worse fails here, before a bench.
 *
 * Two bounds per set: the weekly WAPE last recorded here plus a stated tolerance of 2 points (a
 * real degradation, not noise: the pipeline is deterministic), and the best of the three cheap
 * references measured here on the same window (Optiflow must not lose to them by more than the
 * stated margin).
 */
const TOLERANCE = 0.02;

interface FixtureSet {
  file: string;
  /** The date of each line's first value. */
  firstDate: string;
  /** Weekly WAPE when recorded (npx vitest run test/accuracy-regression.test.ts prints it). */
  recorded: number;
  /** Optiflow's WAPE may be at most this multiple of the best cheap reference's (its margin). */
  againstBar: number;
}

const SETS: FixtureSet[] = [
  {
    file: "italian-grocery-12-items.csv",
    firstDate: "2014-01-02",
    // 38.4% when this test was written; now 35.1% on the batch's three years (34.2% on all four).
    recorded: 0.351,
    againstBar: 0.9,
  },
  {
    file: "m5-ca3-28-items.csv",
    firstDate: "2013-01-01",
    recorded: 0.272,
    // Optiflow does not beat the cheap references on this set yet (bench/RESULTS.md): it may
    // not fall further behind them than it was when first recorded (27.7% against 25.6%; 27.2%
    // now).
    againstBar: 1.1,
  },
];

/** One line per item: `id,v v v …`; `x` a closed day, `*` a promotion day, empty not listed. */
function readFixture(file: string): { id: string; sales: Float64Array; discount: Float32Array }[] {
  const text = readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => {
      const [id, values = ""] = line.split(",");
      const cells = values.split(" ");
      const sales = new Float64Array(cells.length);
      const discount = new Float32Array(cells.length);
      cells.forEach((cell, i) => {
        // Read as a 20% discount, as the bench does: the source only flags promotions.
        if (cell.endsWith("*")) discount[i] = 0.2;
        const v = cell.replace("*", "");
        sales[i] = v === "" || v === "x" ? Number.NaN : Number(v);
      });
      return { id: id as string, sales, discount };
    });
}

function storeOf(set: FixtureSet): { id: string; input: SeriesInput }[] {
  const items = readFixture(set.file);
  const length = Math.max(...items.map((i) => i.sales.length));
  const open = closedDays(
    items.map((i) => i.sales),
    length,
  );
  const calendar = { firstDay: dayFromIso(set.firstDate), length, open, events: [] };
  return items.map(({ id, sales, discount }) => ({ id, input: { sales, discount, calendar } }));
}

/** Forecasts from what is known at the origin (`masked`), scored on the store's actuals. */
function wapeOn(
  store: { id: string; input: SeriesInput }[],
  masked: BenchStore,
  origin: number,
  forecastOf: (input: SeriesInput, k: number) => ArrayLike<number>,
): number {
  const sums = emptySums();
  for (const [k, s] of store.entries()) {
    const known = (masked.series[k] as BenchStore["series"][number]).input;
    addWeeks(sums, forecastOf(known, k), windowActuals(s.input, origin));
  }
  return wapeOf(sums);
}

describe("accuracy on 40 real series (one four-week window per set)", () => {
  for (const set of SETS) {
    it(`${set.file}: no worse than recorded, and ahead of the cheap references`, () => {
      const store = storeOf(set);
      const calendar = store[0]!.input.calendar;
      const origin = calendar.length - HORIZON;
      // The history the batch would hold at the origin (three years), as the bench does.
      const masked = maskedStore(
        { id: set.file, calendar, series: store.map((s) => ({ ...s, categoryId: null })) },
        origin,
      );
      const view = batchView(masked, origin);
      const series: StoreSeries[] = view.store.series.map((s) => ({
        key: s.id,
        input: s.input,
        knownDays: knownDays(s.input, view.origin),
        categoryId: null,
      }));
      const { results } = forecastStore(series, { origin: view.origin, horizon: HORIZON });
      const optiflow = wapeOn(
        store,
        masked,
        origin,
        (_, k) => results[k]?.mean ?? new Float64Array(HORIZON),
      );
      const bar = Math.min(
        wapeOn(store, masked, origin, (input) => seasonalNaive(input, origin, HORIZON)),
        wapeOn(store, masked, origin, (input) => weekdayMean(input, origin, HORIZON)),
        wapeOn(store, masked, origin, (input) => movingAverage(input, origin, HORIZON)),
      );
      // Printed so that a deliberate improvement can lower `recorded`.
      console.log(
        `${set.file}: Optiflow ${(optiflow * 100).toFixed(1)}%, bar ${(bar * 100).toFixed(1)}%`,
      );
      expect(optiflow).toBeLessThanOrEqual(set.recorded + TOLERANCE);
      expect(optiflow).toBeLessThanOrEqual(bar * set.againstBar);
    });
  }
});
