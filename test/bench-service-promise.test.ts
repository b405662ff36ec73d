import { describe, expect, it } from "vitest";
import type { RollingResult } from "../bench/rolling-bench.js";
import {
  checkPromises,
  emptyPromiseCounts,
  PROMISE_LEVELS,
  PROMISE_PERIODS,
  promiseGaps,
  promiseTable,
} from "../bench/service-promise.js";
import { emptyModelWindow } from "../bench/window-score.js";
import { INDEPENDENT_DAYS } from "../src/domain/forecast/level-uncertainty.js";

const open = () => true;
const flat = (perDay: number) => new Float64Array(28).fill(perDay);
const served = (perDay: number) => ({ forecast: flat(perDay), phi: 0, level: INDEPENDENT_DAYS });

describe("service promises in the bench (bench/service-promise.ts)", () => {
  it("count a period kept when its sales stay within the quantile, at each level", () => {
    const counts = emptyPromiseCounts();
    // Poisson of mean 10 a day: a week's quantiles at 90, 95 and 98% are 81, 84 and 88.
    const actual = Array.from({ length: 28 }, (_, d) => (d < 6 ? 12 : d === 6 ? 11 : 10));
    checkPromises(counts, served(10), actual, open);
    expect(counts.checked).toEqual([1, 1, 1]);
    // The first week sold 83: beyond the 90% quantile, within the 95% and 98% ones.
    expect(counts.kept.slice(0, 3)).toEqual([0, 1, 1]);
    // 14 and 28 days sold 153 and 293, within even the 90% quantiles (155 and 301).
    expect(counts.kept.slice(3)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("count the 28-day periods again by the forecast's size: under 4 units, under 28, more", () => {
    const counts = emptyPromiseCounts();
    // 2.8, 14 and 56 units over 28 days; the first sells 10 units, beyond any of its quantiles.
    checkPromises(counts, served(0.1), flat(10 / 28), open);
    checkPromises(counts, served(0.5), flat(0.5), open);
    checkPromises(counts, served(2), flat(2), open);
    expect(counts.bySize.checked).toEqual([1, 1, 1]);
    expect(counts.bySize.kept).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(counts.checked).toEqual([3, 3, 3]);
  });

  it("leave out a period holding an unknown day, and every longer one; a closed day sells nothing", () => {
    const counts = emptyPromiseCounts();
    const actual = Array.from({ length: 28 }, (_, d) => (d === 10 ? Number.NaN : 1));
    checkPromises(counts, served(1), actual, open);
    expect(counts.checked).toEqual([1, 0, 0]);
    const closed = emptyPromiseCounts();
    checkPromises(closed, served(1), actual, (h) => h !== 10);
    expect(closed.checked).toEqual([1, 1, 1]);
  });

  it("report each level's share kept, the mean gap and the largest shortfall", () => {
    expect(promiseGaps([0.9, 0.95, 0.98]).meanGap).toBe(0);
    const gaps = promiseGaps([0.85, 0.95, 1, Number.NaN]);
    expect(gaps.meanGap).toBeCloseTo((0.05 + 0 + 0.02) / 3, 12);
    expect(gaps.shortfall).toBeCloseTo(0.05, 12);
    const window = emptyModelWindow();
    window.promises.checked = PROMISE_PERIODS.map(() => 10);
    window.promises.kept = PROMISE_PERIODS.flatMap(() => PROMISE_LEVELS.map((_, l) => 8 + l));
    const result = {
      set: "toy",
      windows: [{ date: "2024-01-01", half: "test", models: { optiflow: window } }],
    } as unknown as RollingResult;
    const row = promiseTable([result]).find((line) => line.startsWith("| toy |"));
    expect(row).toBe(
      "| toy | test | 10 / 10 / 10 | 80.0% | 90.0% | 100.0% | 80.0% | 90.0% | 100.0% | 80.0% | 90.0% | 100.0% | 5.7 | 10.0 |",
    );
  });
});
