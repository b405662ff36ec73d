import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The compiled modules (test/worker-threads.test.ts) load as Node loads them in production,
    // not through Vitest's module runner. Two of its tests, each opening on its first import of
    // one, once waited forever in the same process (2 runs of 23): not proven to be the cause.
    server: { deps: { external: [/\/dist\//] } },
    // CI also writes a JSON report, from which .ci/run prints its one-line summary.
    reporters: process.env.CI
      ? ["default", ["json", { outputFile: "test-results/vitest.json" }]]
      : ["default"],
  },
});
