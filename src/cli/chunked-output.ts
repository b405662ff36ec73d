import type { Writable } from "node:stream";

/** About 64 KB: few writes, little held. */
const CHUNK_CHARS = 65_536;

/**
 * Text for an output stream in chunks, waiting whenever the stream's buffer is full. A file
 * stream (`--output`) takes writes as fast as they come and holds them until the disk has them:
 * an export written row by row in one synchronous loop was held whole in memory, several times
 * its size (14.5 MB of CSV: 120 MB more than the same export to stdout).
 *
 * A stream that fails is not waited for, and what is written after is dropped: the failure is
 * the stream owner's to report (`openOutputFile`'s commit says "writing … failed").
 */
export class ChunkedOutput {
  private chunk = "";

  constructor(
    private readonly out: Writable,
    private readonly chunkChars = CHUNK_CHARS,
  ) {}

  /** Adds text; true once a chunk is full, and `flush` should be awaited. */
  add(text: string): boolean {
    this.chunk += text;
    return this.chunk.length >= this.chunkChars;
  }

  /** Writes what was added, and waits until the stream can take more, or has failed. */
  async flush(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = "";
    if (!chunk || this.out.destroyed) return;
    if (!this.out.write(chunk)) await drainedOrGone(this.out);
  }
}

function drainedOrGone(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ["drain", "error", "close"]) out.off(event, done);
      resolve();
    };
    for (const event of ["drain", "error", "close"]) out.on(event, done);
  });
}
