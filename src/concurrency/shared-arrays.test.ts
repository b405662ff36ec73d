import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { SharedArrays } from "./shared-arrays.js";

describe("SharedArrays", () => {
  it("carves arrays that do not overlap, each on an 8-byte boundary, across blocks", () => {
    const arrays = new SharedArrays(200);
    const made = [3, 5, 7, 20, 1, 40].map((length, k) =>
      k % 2 === 0 ? arrays.float32(length) : arrays.float64(length),
    );
    for (const [k, a] of made.entries()) a.fill(k + 1);
    made.forEach((a, k) => {
      expect(a.byteOffset % 8).toBe(0);
      expect([...a]).toEqual(new Array(a.length).fill(k + 1));
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    });
    // 40 doubles (320 bytes) exceed a 200-byte block: a block of their own.
    expect(made[5]?.buffer.byteLength).toBe(320);
    expect(new Set(made.slice(0, 5).map((a) => a.buffer)).size).toBe(2);
  });

  it("recycles its blocks from the start, zero-filled", () => {
    const arrays = new SharedArrays(64);
    const first = arrays.float64(4).fill(7);
    const second = arrays.float64(6).fill(9);
    arrays.recycle();
    const again = arrays.float32(8);
    expect(again.buffer).toBe(first.buffer);
    expect([...again]).toEqual(new Array(8).fill(0));
    const next = arrays.float64(6);
    expect(next.buffer).toBe(second.buffer);
    expect([...next]).toEqual(new Array(6).fill(0));
  });

  it("carves reused blocks first, zero-filled, passing over one too small, then new ones", () => {
    const small = new SharedArrayBuffer(16);
    const large = new SharedArrayBuffer(48);
    new Float64Array(small).fill(3);
    new Float64Array(large).fill(5);
    const arrays = new SharedArrays(64, [small, large]);
    const first = arrays.float64(2);
    const second = arrays.float64(3);
    const third = arrays.float64(4);
    expect(first.buffer).toBe(small);
    expect(second.buffer).toBe(large);
    expect([...first, ...second]).toEqual(new Array(5).fill(0));
    // What is left of `large` (3 doubles) does not hold 4: a new block of the default size.
    expect(third.buffer).not.toBe(large);
    expect(third.buffer.byteLength).toBe(64);
    expect([...new Float64Array(large, 24)]).toEqual([5, 5, 5]);
  });

  it("shares its arrays with a worker thread instead of copying them", async () => {
    const values = new SharedArrays().float64(4).fill(1);
    const worker = new Worker(
      `const { parentPort } = require("node:worker_threads");
       parentPort.once("message", (a) => { a[2] = 42; parentPort.postMessage("done"); });`,
      { eval: true },
    );
    try {
      await new Promise((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.postMessage(values);
      });
      expect([...values]).toEqual([1, 1, 42, 1]);
    } finally {
      await worker.terminate();
    }
  });
});
