import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ChunkedOutput } from "./chunked-output.js";

/** A stream as slow as a disk: each write is taken one turn of the event loop later. */
function slowStream(failOnWrite = 0) {
  const state = { text: "", writes: 0, mostHeld: 0 };
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      state.writes++;
      state.mostHeld = Math.max(state.mostHeld, stream.writableLength);
      setImmediate(() => {
        if (state.writes === failOnWrite) return callback(new Error("disk full"));
        state.text += chunk.toString("utf8");
        callback();
      });
    },
  });
  stream.on("error", () => {}); // the owner's to report, as openOutputFile does
  return { stream, state };
}

async function writeLines(output: ChunkedOutput, lines: number): Promise<string> {
  let expected = "";
  for (let i = 0; i < lines; i++) {
    const line = `2026-12-05,MAG01,ART-${i},1.5,0,1,3,prophet_like\n`;
    expected += line;
    if (output.add(line)) await output.flush();
  }
  await output.flush();
  return expected;
}

describe("ChunkedOutput", () => {
  it("writes every line, in chunks, never holding much more than a chunk", async () => {
    const { stream, state } = slowStream();
    const expected = await writeLines(new ChunkedOutput(stream, 4096), 5000);
    await new Promise<void>((done) => stream.end(done));
    expect(state.text).toBe(expected);
    expect(state.writes).toBeLessThan(5000 / 50);
    // Waiting for the stream each time it is full: without it, the whole text (240 KB).
    expect(state.mostHeld).toBeLessThanOrEqual(4096 + 100);
  });

  it("goes on without waiting once the stream has failed, and writes nothing more", {
    timeout: 10_000,
  }, async () => {
    const { stream, state } = slowStream(3);
    await writeLines(new ChunkedOutput(stream, 4096), 5000);
    expect(stream.destroyed).toBe(true);
    expect(state.writes).toBe(3);
  });
});
