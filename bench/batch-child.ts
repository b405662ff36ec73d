import { runBatch } from "../src/batch/run-batch.js";
import { readConfig, withDbPath } from "../src/config.js";
import { peakRssMb } from "./peak-rss.js";

/**
 * Runs one batch in its own process, so that its peak memory is measured alone. A third
 * argument `full` reads the whole history (`ml batch --full`): a first night.
 */
const [dbPath, today, mode] = process.argv.slice(2) as [string, string, string | undefined];
const started = performance.now();
const result = await runBatch({
  config: withDbPath(readConfig({}), dbPath, {}),
  today,
  trigger: "manual",
  fullHistory: mode === "full",
});
process.stdout.write(
  JSON.stringify({
    seconds: (performance.now() - started) / 1000,
    maxRssMb: peakRssMb(),
    published: result.published,
    steps: result.steps.map((s) => ({
      step: s.step,
      name: s.name,
      status: s.status,
      seconds: (s.durationMs ?? 0) / 1000,
      counts: s.counts,
    })),
  }),
);
