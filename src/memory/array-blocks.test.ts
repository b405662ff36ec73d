import { describe, expect, it } from "vitest";
import { ArrayBlocks } from "./array-blocks.js";

describe("arrays carved from blocks", () => {
  it("gives zero-filled arrays that never overlap, a new block when one is full", () => {
    const blocks = new ArrayBlocks(1024);
    const arrays = Array.from({ length: 5 }, () => blocks.float64(40));
    arrays.forEach((a, k) => {
      expect(a.length).toBe(40);
      expect(a.every((v) => v === 0)).toBe(true);
      a.fill(k + 1);
    });
    // 320 bytes each: three fit in a 1 KiB block, the fourth starts the next.
    expect(arrays[2]?.buffer).toBe(arrays[0]?.buffer);
    expect(arrays[3]?.buffer).not.toBe(arrays[0]?.buffer);
    arrays.forEach((a, k) => {
      expect(a.every((v) => v === k + 1)).toBe(true);
    });
  });

  it("gives an array larger than a block a buffer of its own", () => {
    const blocks = new ArrayBlocks(1024);
    const large = blocks.float64(200);
    expect(large.length).toBe(200);
    expect(large.buffer.byteLength).toBe(1600);
  });

  it("carves shared blocks when asked, large arrays included", () => {
    const blocks = new ArrayBlocks(1024, true);
    expect(blocks.float64(40).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(blocks.float64(200).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(new ArrayBlocks(1024).float64(40).buffer).toBeInstanceOf(ArrayBuffer);
  });
});
