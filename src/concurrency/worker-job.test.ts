import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { openDatabaseReadonly } from "../data/open.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { ChunkPool, onWorkerDatabase } from "./worker-job.js";

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

describe("a worker script's database job", () => {
  // Node copies a worker's exception to the main thread keeping a native Error whole, but of
  // better-sqlite3's SqliteError only its code: the step's report said nothing of why.
  const thrown = (work: () => void): Error => {
    try {
      work();
    } catch (error) {
      return error as Error;
    }
    throw new Error("expected an exception");
  };

  it("fails with a plain Error holding SQLite's message and code when the opening fails", () => {
    const directory = join(temp.path, "a-folder-not-a-database");
    mkdirSync(directory);
    let worked = false;
    const error = thrown(() =>
      onWorkerDatabase(
        () => openDatabaseReadonly(directory),
        () => {
          worked = true;
        },
      ),
    );
    expect(worked).toBe(false);
    expect(error.constructor).toBe(Error);
    // Linux says "disk I/O error" (SQLITE_IOERR_READ); the point is that both arrive.
    expect(error.message).not.toBe("");
    expect((error as { code?: string }).code).toMatch(/^SQLITE_/);
  });

  it("closes the database after the job, and after a job that throws", () => {
    let closed = 0;
    const db = { close: () => closed++ };
    onWorkerDatabase(
      () => db,
      () => undefined,
    );
    const error = thrown(() =>
      onWorkerDatabase(
        () => db,
        () => {
          throw Object.assign(new TypeError("bad job"), { code: "E_JOB" });
        },
      ),
    );
    expect(closed).toBe(2);
    expect(error.constructor).toBe(Error);
    expect([error.name, error.message]).toEqual(["TypeError", "bad job"]);
    expect(error).toMatchObject({ code: "E_JOB" });
  });
});
