import { describe, expect, it } from "vitest";
import { packDays, packedLength, packSeries, unpackDays } from "./packed-days.js";

function roundTrip(values: number[], from = 0, length = values.length - from): Float64Array {
  const into = new Float64Array(length);
  unpackDays(packDays(Float64Array.from(values)), from, into);
  return into;
}

describe("packed days", () => {
  it.each([
    ["small counts", [0, 3, 255, 1, 0], 1],
    ["returns", [2, -1, 0, 127, -128], 1],
    ["hundreds", [300, -2, 0, 32767], 2],
    ["large counts", [70000, 0, -40000], 4],
    ["weighed goods", [1.25, 0, 3], 8],
    ["beyond 32 bits", [2 ** 40, 1], 8],
  ])("gives back %s exactly, in the narrowest form", (_, values, width) => {
    const packed = packDays(Float64Array.from(values));
    expect(packed.byteLength).toBe(1 + values.length * width);
    expect(packedLength(packed)).toBe(values.length);
    expect([...roundTrip(values)]).toEqual(values);
  });

  it("keeps -0 and non-finite values as they were", () => {
    const values = [1, -0, Number.NaN, Number.POSITIVE_INFINITY];
    const back = roundTrip(values);
    expect(Object.is(back[1], -0)).toBe(true);
    expect(back[2]).toBeNaN();
    expect(back[3]).toBe(Number.POSITIVE_INFINITY);
  });

  it("unpacks a range of days and leaves the days it does not hold", () => {
    const into = new Float64Array([9, 9, 9, 9]);
    unpackDays(packDays(Float64Array.from([1, 200, 3, 4])), 2, into);
    expect([...into]).toEqual([3, 4, 9, 9]);
    unpackDays(Buffer.alloc(0), 0, into);
    expect([...into]).toEqual([3, 4, 9, 9]);
  });

  it("reads a packed series sitting at an odd offset of a larger buffer", () => {
    for (const values of [
      [300, -2, 7],
      [1.5, 2.5, 3.5],
    ]) {
      const packed = packDays(Float64Array.from(values));
      const pool = Buffer.alloc(packed.byteLength + 3);
      packed.copy(pool, 3);
      const into = new Float64Array(2);
      unpackDays(pool.subarray(3), 1, into);
      expect([...into]).toEqual(values.slice(1));
    }
  });

  it("packs many series into one buffer with the very bytes packDays gives each, after a head", () => {
    const series = [
      [0, 3, 255, 1],
      [2, -1, 0, -128],
      [300, -2, 0, 32767],
      [],
      [70000, 0, -40000],
      [1.25, -0, Number.NaN],
      [2 ** 40, 1],
      [7],
    ].map((values) => Float64Array.from(values));
    const { packed, starts } = packSeries(series, 12);
    expect(starts[0]).toBe(12);
    expect(starts.at(-1)).toBe(packed.byteLength);
    const each = series.map((values) => packDays(values));
    expect(packed.subarray(12).equals(Buffer.concat(each))).toBe(true);
    each.forEach((bytes, i) => {
      expect(packed.subarray(starts[i], starts[i + 1]).equals(bytes)).toBe(true);
    });
  });

  it("refuses bytes it cannot read rather than returning wrong days", () => {
    expect(() => unpackDays(Buffer.from([9, 1, 2]), 0, new Float64Array(2))).toThrow(/unreadable/);
    expect(() => packedLength(Buffer.from([0, 1, 2, 3]))).toThrow(/unreadable/);
  });
});
