import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import {
  chainParts,
  chainQuietFactor,
  finishStore,
  forecastStore,
  forecastStoreSeries,
  type SeriesResult,
} from "./forecast-store.js";
import type { StoreCalendar, StoreSeries } from "./model-input.js";
import { demandQuantile } from "./quantiles.js";

/**
 * The pipeline on stores as odd as a retailer's real ones (long zero runs, spikes, returns,
 * stock-outs, a level that jumps, articles listed last week, closed days, holidays): whatever the
 * history, every forecast served is a finite, non-negative number of units, zero on closed days,
 * not beyond what the article ever sold by a wide margin, with a band that is one.
 */

const HORIZON = 28;
const KINDS = [
  "steady",
  "intermittent",
  "spiky",
  "returns",
  "stockouts",
  "level jump",
  "constant",
  "unknown",
  "stopped",
  "by weight",
] as const;
type Kind = (typeof KINDS)[number];

interface SeriesShape {
  kind: Kind;
  level: number;
  seed: number;
  /** Listed this many days before the origin (nothing known before), or long ago. */
  listed: number | null;
}

interface StoreShape {
  days: number;
  closedWeekday: number | null;
  holidays: number[];
  promotions: number[];
  series: SeriesShape[];
}

const storeShape = fc.record({
  days: fc.integer({ min: 70, max: 800 }),
  closedWeekday: fc.option(fc.integer({ min: 0, max: 6 })),
  holidays: fc.array(fc.integer({ min: 0, max: 827 }), { maxLength: 12 }),
  promotions: fc.array(fc.integer({ min: 0, max: 827 }), { maxLength: 40 }),
  series: fc.array(
    fc.record({
      kind: fc.constantFrom(...KINDS),
      level: fc.double({ min: 0.01, max: 300, noNaN: true }),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      // A quarter of the series listed lately: most go through their own models.
      listed: fc.oneof(
        { arbitrary: fc.constant(null), weight: 3 },
        { arbitrary: fc.integer({ min: 1, max: 70 }), weight: 1 },
      ),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

function calendarOf(shape: StoreShape): StoreCalendar {
  const length = shape.days + HORIZON;
  const open = new Uint8Array(length).fill(1);
  if (shape.closedWeekday !== null)
    for (let t = shape.closedWeekday; t < length; t += 7) open[t] = 0;
  const active = new Uint8Array(length);
  for (const t of shape.holidays) if (t < length) active[t] = 1;
  return { firstDay: 19_000, length, open, events: [{ type: "FERIE", active }] };
}

/** Daily sales of one series: NaN for an unknown day, as the batch reads a stock-out. */
function salesOf(
  { kind, level, seed, listed }: SeriesShape,
  days: number,
  length: number,
): Float64Array {
  const rng = createRng(seed);
  const sales = new Float64Array(length).fill(Number.NaN);
  for (let t = 0; t < days; t++) {
    const weekly = 1 + 0.3 * Math.sin((2 * Math.PI * t) / 7);
    let v = poisson(rng, level * weekly);
    if (kind === "intermittent") v = rng() < 0.08 ? poisson(rng, level) + 1 : 0;
    if (kind === "spiky" && rng() < 0.01) v *= 40;
    if (kind === "returns" && rng() < 0.05) v = -poisson(rng, level);
    if (kind === "stockouts" && Math.floor(t / 20) % 3 === 1) v = Number.NaN;
    if (kind === "level jump" && t > days - 60) v = poisson(rng, 10 * level * weekly);
    if (kind === "constant") v = Math.round(level);
    if (kind === "unknown") v = Number.NaN;
    if (kind === "stopped" && t > days - 45) v = 0;
    // Sold by the kilo: 0.35 one day, 1.2 another.
    if (kind === "by weight") v = Math.round(level * weekly * 2 * rng() * 1000) / 1000;
    sales[t] = listed !== null && t < days - listed ? Number.NaN : v;
  }
  return sales;
}

function storeOf(shape: StoreShape): StoreSeries[] {
  const calendar = calendarOf(shape);
  const discount = new Float32Array(calendar.length);
  for (const t of shape.promotions) if (t < calendar.length) discount[t] = 0.3;
  return shape.series.map((s, k) => {
    const sales = salesOf(s, shape.days, calendar.length);
    for (let t = 0; t < shape.days; t++) if (calendar.open[t] === 0) sales[t] = Number.NaN;
    let knownDays = 0;
    for (let t = 0; t < shape.days; t++) if (Number.isFinite(sales[t] as number)) knownDays++;
    return {
      key: `${k}-${s.kind}`,
      input: { sales, discount, calendar },
      knownDays,
      categoryId: k % 2 === 0 ? 1 : null,
    };
  });
}

/**
 * No day is forecast beyond this many times the most the article ever sold in a day: nothing in
 * these histories (no promotion ahead that was not seen before) calls for more.
 */
const BEYOND_BEST_DAY = 3;

/** The most the series ever sold in a day, at least 1. */
function bestDay(sales: Float64Array, days: number): number {
  let best = 1;
  for (let t = 0; t < days; t++) {
    const v = sales[t] as number;
    if (Number.isFinite(v) && v > best) best = v;
  }
  return best;
}

/** Why a served forecast is unfit to order from; null when it is fine. */
function fault(s: StoreSeries, r: SeriesResult) {
  const { calendar } = s.input;
  const origin = calendar.length - HORIZON;
  if (r.mean.length !== HORIZON) return `${r.mean.length} days forecast`;
  const cap = BEYOND_BEST_DAY * bestDay(s.input.sales, origin);
  for (let h = 0; h < HORIZON; h++) {
    const m = r.mean[h] as number;
    if (!Number.isFinite(m) || m < 0) return `day ${h}: ${m}`;
    if (calendar.open[origin + h] === 0 && m !== 0) return `closed day ${h} forecast ${m}`;
    if (m > cap) return `day ${h}: ${m} beyond ${BEYOND_BEST_DAY} × the best day sold`;
    const low = demandQuantile(m, r.phi, r.interval.low);
    const high = demandQuantile(m, r.phi, r.interval.high);
    if (!(Number.isFinite(high) && low <= high)) return `day ${h}: band ${low}–${high}`;
  }
  if (!(Number.isFinite(r.phi) && r.phi >= 0)) return `phi ${r.phi}`;
  if (!(r.interval.low > 0 && r.interval.low < r.interval.high && r.interval.high < 1))
    return `band levels ${r.interval.low}–${r.interval.high}`;
  if (!Number.isFinite(r.calibration) || r.calibration <= 0) return `calibration ${r.calibration}`;
  return null;
}

/** Every series' forecast is fit to order from; null only for a series with no known day. */
function expectServable(series: readonly StoreSeries[], results: readonly (SeriesResult | null)[]) {
  series.forEach((s, k) => {
    const r = results[k];
    if (r) expect(fault(s, r), s.key).toBeNull();
    else expect(s.knownDays, s.key).toBe(0);
  });
}

/** A chain's stores as step 2 forecasts them (`pooledAcrossStores`): shared parts, then each. */
function chainForecasts(stores: readonly StoreSeries[][], origin: number) {
  const plan = { origin, horizon: HORIZON };
  const chain = chainParts(stores, origin, HORIZON);
  const results = stores.map((s) => forecastStoreSeries(s, { ...plan, ...chain }).results);
  const chainQuiet = chainQuietFactor(results.flat());
  for (const [k, s] of stores.entries()) finishStore(s, results[k] ?? [], { ...plan, chainQuiet });
  return results;
}

describe("the forecasting pipeline on odd histories", () => {
  const runs = { seed: 20_261_203, numRuns: 300 };

  it("serves finite, non-negative, bounded forecasts with a band, the same each time", () => {
    fc.assert(
      fc.property(storeShape, (shape) => {
        const series = storeOf(shape);
        const plan = { origin: shape.days, horizon: HORIZON };
        const { results } = forecastStore(series, plan);
        expectServable(series, results);
        const again = forecastStore(series, plan).results;
        series.forEach((s, k) => {
          expect(Array.from(again[k]?.mean ?? []), s.key).toEqual(
            Array.from(results[k]?.mean ?? []),
          );
        });
      }),
      runs,
    );
  }, 120_000);

  it("the same on a night that refits a week-old selection", () => {
    fc.assert(
      fc.property(storeShape, (shape) => {
        const series = storeOf(shape);
        const { selection } = forecastStore(series, { origin: shape.days - 7, horizon: HORIZON });
        const plan = { origin: shape.days, horizon: HORIZON };
        expectServable(series, forecastStore(series, plan, undefined, selection).results);
      }),
      runs,
    );
  }, 120_000);

  it("the same for a chain of two stores sharing a pooled model", () => {
    fc.assert(
      fc.property(storeShape, storeShape, (a, b) => {
        const days = Math.min(a.days, b.days);
        const stores = [storeOf({ ...a, days }), storeOf({ ...b, days })];
        const results = chainForecasts(stores, days);
        for (const [k, s] of stores.entries()) expectServable(s, results[k] ?? []);
      }),
      runs,
    );
  }, 120_000);
});
