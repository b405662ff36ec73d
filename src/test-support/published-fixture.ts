import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { runBatch } from "../batch/run-batch.js";
import { type Config, readConfig } from "../config.js";
import { type Db, openDatabaseReadonly } from "../data/open.js";
import { openOptiflowDatabase } from "../data/optiflow/open-optiflow.js";
import { readPublication } from "../data/optiflow/published-results.js";
import { buildServer } from "../server/build-server.js";
import type { ServerDeps } from "../server/server-deps.js";
import { demoDatabase, FIXTURE_TODAY } from "./demo-fixture.js";

/**
 * The fixture's clocks. Every test that runs a batch or reads a publication takes its time from
 * here, never from the machine: the batch ran at 00:30 on the fixture's day, and the tests read
 * its results at 07:00 the same morning, so "stale" and "computed on" never depend on when (or in
 * which year) the tests run.
 */
export const FIXTURE_BATCH_AT = new Date(`${FIXTURE_TODAY}T00:30:00Z`);
export const FIXTURE_NOW = new Date(`${FIXTURE_TODAY}T07:00:00Z`);
export const fixtureNow = (): Date => FIXTURE_NOW;

/** A configuration whose backups and logs stay inside the test's folder. */
export function testConfig(dir: string, dbPath: string, name = "db"): Config {
  return {
    ...readConfig({}),
    dbPath,
    backupDir: join(dir, `backups-${name}`),
    batchLogPath: join(dir, `${name}-batch.log`),
  };
}

/**
 * A small demo base (2 stores) after one published batch, built once per folder and size, then
 * copied under `name`, so that each test file writes to its own copy.
 */
export async function publishedDemo(
  dir: string,
  name: string,
  articles = 18,
): Promise<{ path: string; config: Config }> {
  const master = join(dir, `published-master-${articles}.db`);
  if (!existsSync(master)) {
    const source = demoDatabase(dir, `unpublished-master-${articles}.db`, articles);
    await runBatch({
      config: testConfig(dir, source, "master"),
      today: FIXTURE_TODAY,
      trigger: "manual",
      now: () => FIXTURE_BATCH_AT,
      logger: pino({ level: "silent" }),
    });
    copyFileSync(source, master);
  }
  const path = join(dir, name);
  if (!existsSync(path)) copyFileSync(master, path);
  return { path, config: testConfig(dir, path, name) };
}

/** A running API on a published base: the read connection, the write connection, the clock. */
export interface TestServer {
  app: ReturnType<typeof buildServer>;
  db: Db;
  writer: Db;
  close(): Promise<void>;
}

export function startTestServer(
  config: Config,
  overrides: Partial<ServerDeps> & { now?: () => Date } = {},
): TestServer {
  const db = openDatabaseReadonly(config.dbPath);
  const writer = openOptiflowDatabase(config.dbPath, fixtureNow);
  const now = overrides.now ?? fixtureNow;
  const app = buildServer({
    db,
    writeDb: () => writer,
    config,
    now,
    publication: () => readPublication(db, now(), config.cacheDurationHours),
    nextBatch: () => null,
    ...overrides,
  });
  return {
    app,
    db,
    writer,
    async close() {
      await app.close();
      db.close();
      writer.close();
    },
  };
}
