import { defineConfig } from "vitest/config";

/** The file whose tests start worker threads on the compiled modules. */
const WORKER_THREADS = "test/worker-threads.test.ts";
/** The forecast downloads' threads, on the compiled modules too: alone and last, the same way. */
const EXPORT_THREADS = "test/forecast-export-thread.test.ts";

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The compiled modules (test/worker-threads.test.ts) load as Node loads them in production,
    // not through Vitest's module runner.
    server: { deps: { external: [/\/dist\//] } },
    // CI also writes a JSON report, from which .ci/run prints its one-line summary.
    reporters: process.env.CI
      ? ["default", ["json", { outputFile: "test-results/vitest.json" }]]
      : ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: [WORKER_THREADS, EXPORT_THREADS],
        },
      },
      // Alone, after every other file. Its pool tests hung 3 times, always beside other files:
      // a pool whose threads never ended on close, then new threads that never answered
      // (2 runs of 23 on 2026-12-02, then CI on fe4da2c: "stuck 60 s: closing the kept pool").
      // Reproduced once since, in a scratch run beside other heavy files and a busy loop: a
      // Node/V8 deadlock of ending worker threads, described at ChunkPool.close (worker-job.ts).
      // Its blocked background tasks were TurboFan's concurrent compile jobs: this file's process
      // compiles on its own threads instead, so that the deadlock has no party left (a reasoned
      // cure, not one proven by runs). The batch keeps concurrent compilation, without which its
      // selection nights took 8–49% longer per series (measured on 2026-12-02, Italian and demo
      // sets); ChunkPool.close and the batch's time limit bound the hang there.
      {
        extends: true,
        test: {
          name: "worker-threads",
          include: [WORKER_THREADS],
          sequence: { groupOrder: 1 },
          execArgv: ["--no-concurrent-recompilation"],
        },
      },
      {
        extends: true,
        test: {
          name: "export-threads",
          include: [EXPORT_THREADS],
          sequence: { groupOrder: 2 },
          execArgv: ["--no-concurrent-recompilation"],
        },
      },
    ],
  },
});
