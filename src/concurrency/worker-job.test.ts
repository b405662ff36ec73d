import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createTempDir } from "../test-support/temp-dir.js";
import { ChunkPool } from "./worker-job.js";

/**
 * ChunkPool's threads on two tiny worker scripts written here (plain JavaScript, nothing to
 * compile): one that doubles numbers and ends on the end of jobs, as serveJobs does, and one
 * that never ends, as the threads of the pool once seen stuck in CI.
 */
const temp = createTempDir("optiflow-worker-job-");
afterAll(() => temp.remove());

function workerScript(name: string, body: string): URL {
  const path = join(temp.path, name);
  writeFileSync(path, `import { parentPort } from "node:worker_threads";\n${body}\n`);
  return pathToFileURL(path);
}

const DOUBLING = workerScript(
  "doubling.mjs",
  `parentPort.on("message", (n) => {
    if (n === null) parentPort.close();
    else parentPort.postMessage(n * 2);
  });`,
);
const NEVER_ENDING = workerScript(
  "never-ending.mjs",
  `parentPort.on("message", (n) => { if (n !== null) parentPort.postMessage(n * 2); });
  setInterval(() => {}, 1 << 30);`,
);

const threads = Math.min(availableParallelism(), 4);

describe.skipIf(threads < 2)("a pool of worker threads", () => {
  it("answers in the chunks' order and ends its threads on close", async () => {
    const pool = new ChunkPool(DOUBLING);
    const done: number[] = [];
    const results = await pool.run(
      [1, 2, 3, 4, 5],
      (n) => -n,
      (n) => done.push(n),
    );
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect([...done].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await pool.close()).toEqual([]);
  });

  it("does not wait forever for a thread that never ends: it leaves it behind and says so", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const pool = new ChunkPool(NEVER_ENDING);
    try {
      expect(
        await pool.run(
          [1, 2, 3],
          (n) => -n,
          () => {},
        ),
      ).toEqual([2, 4, 6]);
      const stuck = await pool.close(200);
      expect(stuck).toHaveLength(threads);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(
        new RegExp(
          `^${threads} worker thread\\(s\\) of .*never-ending\\.mjs still running 0\\.2 s`,
        ),
      );
      // Left behind in production (unref'd); ended here so that the test leaves nothing running.
      await Promise.all(stuck.map((worker) => worker.terminate()));
    } finally {
      warn.mockRestore();
    }
  });
});
