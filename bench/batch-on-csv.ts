import { join } from "node:path";
import { runBatch } from "../src/batch/run-batch.js";
import { readConfig } from "../src/config.js";
import { importCsvDirectory } from "../src/import/import-csv.js";

/**
 * The product's own path for a bench check: the legacy CSV files of `csv` imported into a new
 * database in `work` (`optiflow import`), `prepare` run on it (a setting, say), then the nightly
 * batch for `today` with the default configuration (`optiflow ml batch --today`). Returns the
 * database and the batch's seconds.
 */
export async function importAndRunBatch(
  work: string,
  csv: string,
  today: string,
  prepare: (dbPath: string) => void = () => {},
): Promise<{ dbPath: string; seconds: number }> {
  const dbPath = join(work, "set.db");
  await importCsvDirectory(dbPath, csv);
  prepare(dbPath);
  const config = {
    ...readConfig({}),
    dbPath,
    backupDir: join(work, "backups"),
    batchLogPath: join(work, "batch.log"),
  };
  const started = performance.now();
  await runBatch({ config, today, trigger: "manual" });
  return { dbPath, seconds: (performance.now() - started) / 1000 };
}
