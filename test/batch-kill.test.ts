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

function lastRunId(path: string): number {
  const db = openDatabaseReadonly(path);
  try {
    const row = db.prepare("SELECT MAX(id) AS id FROM optiflow_runs").get() as {
      id: number | null;
    };
    return row.id ?? 0;
  } finally {
    db.close();
  }
}

/** Resolves once the batch has recorded a run of its own, so that one kill surely lands mid-run. */
async function runRecorded(path: string, child: ChildProcess, before: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (child.exitCode === null && Date.now() < deadline) {
    if (lastRunId(path) > before) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the batch exited or never recorded its run");
}

async function killAfter(path: string, wait: number | "run recorded"): Promise<void> {
  const before = lastRunId(path);
  const child = batch(path, FIXTURE_TODAY);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  if (wait === "run recorded") await runRecorded(path, child, before);
  else await new Promise((resolve) => setTimeout(resolve, wait));
  child.kill("SIGKILL");
  await exited;
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

    // Kill points spread over the run: opening, backup, forecasting, later steps. Delays alone
    // depend on the machine's load, so one kill waits until the run is recorded: that one is
    // certain to leave a run for the next batch to take over.
    for (const wait of [150, "run recorded", 600, 1500, 2500, 3500] as const) {
      await killAfter(path, wait);
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
