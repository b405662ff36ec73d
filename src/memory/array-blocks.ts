/**
 * Float64 arrays carved out of large blocks, for the tens of thousands of series histories a
 * night holds for a while and then drops (9 KB each on three years). Allocated one by one, they
 * come from the C allocator's heap, which keeps their memory once they are freed because other
 * allocations sit between them: on 50,000 series the process stayed 400 MB larger for the rest
 * of the night. A block larger than glibc's largest mmap threshold (32 MiB) is mapped on its
 * own and given back to the system once the last array carved from it is collected.
 *
 * Only for arrays that are dropped together: one array kept alive keeps its whole block.
 *
 * `shared` blocks are `SharedArrayBuffer`s: a worker thread sent the arrays reads the same
 * memory instead of a copy. Only for arrays nobody writes once another thread has them.
 */
export class ArrayBlocks {
  private block: ArrayBuffer | SharedArrayBuffer | null = null;
  private offset = 0;

  constructor(
    private readonly blockBytes = 64 * 1024 * 1024,
    private readonly shared = false,
  ) {}

  /** A zero-filled array of `length` values. */
  float64(length: number): Float64Array {
    const bytes = length * Float64Array.BYTES_PER_ELEMENT;
    if (bytes > this.blockBytes) return new Float64Array(this.buffer(bytes));
    if (this.block === null || this.offset + bytes > this.blockBytes) {
      // Pages the arrays never reach are never touched: the block's tail costs no memory.
      this.block = this.buffer(this.blockBytes);
      this.offset = 0;
    }
    const array = new Float64Array(this.block, this.offset, length);
    this.offset += bytes;
    return array;
  }

  private buffer(bytes: number): ArrayBuffer | SharedArrayBuffer {
    return this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  }
}
