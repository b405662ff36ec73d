import { describe, expect, it } from "vitest";
import type { StoreSeries } from "./model-input.js";
import { markShelfGaps, type ShelfGapRule, withShelfGaps } from "./shelf-gaps.js";

const RULE: ShelfGapRule = { days: 7, units: 20 };

/** `before` days selling `rate`, a run of `gap` days without a sale, then `after` days at `rate`. */
function series(rate: number, before: number, gap: number, after: number): Float64Array {
  return Float64Array.from([
    ...Array(before).fill(rate),
    ...Array(gap).fill(0),
    ...Array(after).fill(rate),
  ]);
}

const allOpen = (n: number) => new Uint8Array(n).fill(1);

/** Days marked, over the whole history as origin unless given. */
function marked(
  sales: Float64Array,
  rule = RULE,
  origin = sales.length,
  open = allOpen(sales.length),
) {
  return markShelfGaps(sales, open, origin, rule)?.marked ?? 0;
}

describe("markShelfGaps", () => {
  it("reads an improbable run without a sale, ended by a sale, as unknown days", () => {
    const sales = series(4, 100, 10, 20);
    // 4 units a day over 10 days: 40 units expected, Poisson's chance of none e^-40.
    const gaps = markShelfGaps(sales, allOpen(sales.length), sales.length, RULE);
    expect(gaps?.marked).toBe(10);
    expect(gaps?.sales.slice(100, 110).every(Number.isNaN)).toBe(true);
    expect(gaps?.sales[99]).toBe(4);
    expect(gaps?.sales[110]).toBe(4);
    // A copy: the caller's array is not written.
    expect(sales[105]).toBe(0);
  });

  it("leaves a run a slow seller's rate makes likely, and a run too short", () => {
    const slow = series(1, 100, 10, 20); // 10 units expected: under 20
    expect(marked(slow)).toBe(0);
    const short = series(10, 100, 6, 20); // 60 units expected, but under 7 days
    expect(marked(short)).toBe(0);
  });

  it("leaves a run still going at the origin, and reads nothing from the origin on", () => {
    const going = series(4, 100, 30, 0);
    expect(marked(going)).toBe(0);
    // The sale that ends the run is on the origin's day: not known yet.
    const ending = series(4, 100, 10, 5);
    expect(marked(ending, RULE, 110)).toBe(0);
  });

  it("skips closed days: they neither count in the run nor end it", () => {
    const sales = series(4, 100, 10, 20);
    const open = allOpen(sales.length);
    for (const i of [103, 104, 105, 106]) {
      open[i] = 0;
      sales[i] = Number.NaN;
    }
    // Six open days without a sale around four closed ones: under seven, left as zeros.
    expect(marked(sales, RULE, sales.length, open)).toBe(0);
  });

  it("with maxDays, leaves a longer run as zeros (an article out of the range)", () => {
    const sales = series(4, 100, 40, 20);
    expect(marked(sales, { ...RULE, maxDays: 28 })).toBe(0);
  });

  it("with rateAfter, needs the weeks after the run to make it improbable too", () => {
    const sales = Float64Array.from([...Array(100).fill(4), ...Array(10).fill(0), 1, 0, 0, 1]);
    const rule = { ...RULE, rateAfter: true };
    expect(marked(sales, rule)).toBe(0);
    expect(marked(sales)).toBe(10);
  });

  it("with withinDays, only reads a run ended that recently before the origin", () => {
    const sales = series(4, 100, 10, 100); // ended 100 days before the origin
    expect(marked(sales, { ...RULE, withinDays: 56 })).toBe(0);
    expect(marked(sales, { ...RULE, withinDays: 100 })).toBe(10);
  });
});

describe("withShelfGaps", () => {
  const calendar = { firstDay: 0, length: 130, open: allOpen(130), events: [] };
  const input = (sales: Float64Array) => ({
    sales,
    discount: new Float32Array(130),
    calendar,
  });

  it("marks copies and leaves the caller's arrays and the gap-free series as they are", () => {
    const gapped = series(4, 100, 10, 20);
    const plain = series(4, 130, 0, 0);
    const store: StoreSeries[] = [
      { key: "a", input: input(gapped), knownDays: 130, categoryId: null },
      { key: "b", input: input(plain), knownDays: 130, categoryId: null },
    ];
    const [a, b] = withShelfGaps(store, 130, RULE);
    expect(a?.knownDays).toBe(120);
    expect(Number.isNaN(a?.input.sales[105] as number)).toBe(true);
    expect(gapped[105]).toBe(0);
    expect(b).toBe(store[1]);
    expect(withShelfGaps(store, 130, undefined)).toEqual(store);
  });
});
