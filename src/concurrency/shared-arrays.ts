/**
 * Typed arrays carved out of blocks of shared memory. Step 2 and `optiflow simulate` send every
 * series' history to the forecasting threads: arrays on ordinary buffers are copied into each
 * thread (thousands of small allocations there), arrays on a `SharedArrayBuffer` are shared.
 *
 * Only for arrays that nobody writes once they are built: a thread that wrote one would change
 * it under every other.
 */
export class SharedArrays {
  private readonly blocks: SharedArrayBuffer[] = [];
  /** The block being carved, and the first free byte in it. */
  private index = -1;
  private offset = 0;

  /**
   * `reused`: blocks of memory already touched that nothing references any more (the reading
   * threads' shares once merged, read-history-in-workers.ts), carved first: a fresh block costs
   * a page fault per 4 KB on first write (88 MB of them for 10,000 series' sales).
   */
  constructor(
    private readonly blockBytes = 4 * 1024 * 1024,
    reused: readonly SharedArrayBuffer[] = [],
  ) {
    this.blocks.push(...reused);
  }

  float64(length: number): Float64Array {
    const { buffer, byteOffset } = this.take(length * Float64Array.BYTES_PER_ELEMENT);
    return new Float64Array(buffer, byteOffset, length);
  }

  float32(length: number): Float32Array {
    const { buffer, byteOffset } = this.take(length * Float32Array.BYTES_PER_ELEMENT);
    return new Float32Array(buffer, byteOffset, length);
  }

  /**
   * Carves the next arrays from the blocks already held, over the arrays given so far. Only
   * once none of those is in use anywhere, threads included: `optiflow simulate` builds the
   * inputs of 13 origins one after the other (≈ 130 MB each on 10,000 articles), and a thread
   * holds on to shared blocks until its next full garbage collection, which kept several
   * origins' blocks alive at once when each origin took new ones.
   */
  recycle(): void {
    this.index = this.blocks.length > 0 ? 0 : -1;
    this.offset = 0;
  }

  /** `bytes` at an 8-byte boundary (any typed array may start there), zero-filled. */
  private take(bytes: number): { buffer: SharedArrayBuffer; byteOffset: number } {
    const size = Math.ceil(bytes / 8) * 8;
    if (size > this.blockBytes) return { buffer: new SharedArrayBuffer(size), byteOffset: 0 };
    // Reused blocks come in any size: one too small for this array is passed over.
    while (this.index < 0 || this.offset + size > this.blockAt(this.index).byteLength) {
      this.index++;
      if (this.index === this.blocks.length)
        this.blocks.push(new SharedArrayBuffer(this.blockBytes));
      this.offset = 0;
    }
    const buffer = this.blockAt(this.index);
    const byteOffset = this.offset;
    this.offset += size;
    // A recycled or reused block holds the previous arrays' values.
    new Uint8Array(buffer, byteOffset, size).fill(0);
    return { buffer, byteOffset };
  }

  private blockAt(index: number): SharedArrayBuffer {
    return this.blocks[index] as SharedArrayBuffer;
  }
}
