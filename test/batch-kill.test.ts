import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { legacyChecksums } from "../src/data/legacy/checksum.js";
import { openDatabaseReadonly } from "../src/data/open.js";
import { readAlerts } from "../src/data/optiflow/published-results.js";
import { publishedRunId } from "../src/data/optiflow/runs-repository.js";
import { demoDatabase, FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { FIXTURE_BATCH_AT } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const FIXED_CLOCK = { ...process.env, OPTIFLOW_NOW: FIXTURE_BATCH_AT.toISOString() };
const temp = createTempDir("optiflow-kill-");
afterAll(() => temp.remove());

function batch(db: string, today: string): ChildProcess {
  return spawn(process.execPath, [BIN, "ml", "batch", "--db", db, "--today", today, "--json"], {
    stdio: "ignore",
    env: FIXED_CLOCK,
  });
}

function snapshot(path: string) {
  const db = openDatabaseReadonly(path);
  try {
    const runId = publishedRunId(db);
    return {
      runId,
      alerts: runId === null ? 0 : readAlerts(db, runId).length,
      legacy: legacyChecksums(db),
    };
  } finally {
    db.close();
  }
}

describe("a batch killed with kill -9", () => {
  it("never leaves anything half-published, and the next run succeeds", async () => {
    const path = demoDatabase(temp.path, "kill.db");
    const first = spawnSync(
      process.execPath,
      [BIN, "ml", "batch", "--db", path, "--today", FIXTURE_TODAY, "--json"],
      { encoding: "utf8", env: FIXED_CLOCK },
    );
    expect(first.status, first.stderr).toBe(0);
    const published = snapshot(path);
    expect(published.alerts).toBeGreaterThan(0);

    // Kill points spread over the run: opening, backup, forecasting, later steps.
    for (const delayMs of [150, 600, 1500, 2500, 3500]) {
      const child = batch(path, FIXTURE_TODAY);
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill("SIGKILL");
      await exited;
      const after = snapshot(path);
      // Either the run had time to publish completely, or the previous publication is intact.
      expect(after.legacy).toEqual(published.legacy);
      expect(after.alerts).toBe(published.alerts);
    }

    const next = spawnSync(
      process.execPath,
      [BIN, "ml", "batch", "--db", path, "--today", FIXTURE_TODAY, "--json"],
      { encoding: "utf8", env: FIXED_CLOCK },
    );
    expect(next.status, next.stderr).toBe(0);
    const result = JSON.parse(next.stdout) as { runId: number; published: boolean };
    expect(result.published).toBe(true);
    expect(snapshot(path).runId).toBe(result.runId);
    const db = openDatabaseReadonly(path);
    const abandoned = (
      db.prepare("SELECT COUNT(*) AS n FROM optiflow_runs WHERE status = 'abandoned'").get() as {
        n: number;
      }
    ).n;
    const orphanRows = (
      db
        .prepare(
          "SELECT COUNT(*) AS n FROM optiflow_alerts WHERE run_id IN (SELECT id FROM optiflow_runs WHERE status = 'abandoned')",
        )
        .get() as { n: number }
    ).n;
    db.close();
    expect(abandoned).toBeGreaterThan(0);
    expect(orphanRows).toBe(0);
  });
});
