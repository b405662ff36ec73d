import { writeFileSync } from "node:fs";
import { getPriority } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { runBatchProcess, runReplayProcess } from "../src/batch/batch-process.js";
import { runNight } from "../src/batch/nightly-work.js";
import { openDatabase, openDatabaseReadonly } from "../src/data/open.js";
import { latestRun, publishedRunId } from "../src/data/optiflow/runs-repository.js";
import {
  latestSimulation,
  latestSimulationRef,
} from "../src/data/optiflow/simulations-repository.js";
import { demoDatabase, FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-batch-process-");
afterAll(() => temp.remove());

describe("the scheduled batch, run by the server in a child process", () => {
  it("publishes, recorded as a scheduled run, and reports a failure with the CLI's message", async () => {
    const path = demoDatabase(temp.path, "scheduled.db", 9);
    await runBatchProcess(BIN, path, FIXTURE_TODAY);
    const db = openDatabaseReadonly(path);
    try {
      const run = latestRun(db);
      expect(run?.trigger).toBe("schedule");
      expect(publishedRunId(db)).toBe(run?.id);
    } finally {
      db.close();
    }
    await expect(runBatchProcess(BIN, `${temp.path}/absent.db`, FIXTURE_TODAY)).rejects.toThrow(
      /code 3: optiflow: database not found/,
    );
  }, 120_000);

  it("runs its child below the server's priority", async () => {
    // A stand-in for the CLI that reports its priority, read once started, and fails so that
    // the report comes back in the error.
    const script = `${temp.path}/report-priority.mjs`;
    writeFileSync(
      script,
      `import { getPriority } from "node:os";
setTimeout(() => { process.stderr.write("nice " + getPriority() + "\\n"); process.exit(1); }, 200);`,
    );
    const expected = Math.min(getPriority() + 10, 19);
    await expect(runBatchProcess(script, `${temp.path}/unused.db`, FIXTURE_TODAY)).rejects.toThrow(
      `code 1: nice ${expected}`,
    );
  });

  it("stops a batch still running after its time limit: the previous publication stays, the next night publishes", async () => {
    const path = demoDatabase(temp.path, "time-limit.db", 9);
    await runBatchProcess(BIN, path, FIXTURE_TODAY);
    const published = () => {
      const db = openDatabaseReadonly(path);
      try {
        return publishedRunId(db);
      } finally {
        db.close();
      }
    };
    const before = published();
    expect(before).not.toBeNull();
    // The batch cannot finish while another connection holds the write lock: it waits on it
    // (busy timeout 10 s), whatever the machine's speed, until the 2 s limit stops it. A bare
    // 100 ms limit raced the batch's own start instead.
    const holder = openDatabase(path);
    try {
      holder.exec("BEGIN IMMEDIATE");
      await expect(runBatchProcess(BIN, path, FIXTURE_TODAY, process.env, 2_000)).rejects.toThrow(
        "batch still running after 2 s: stopped; the previous publication stays served",
      );
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect(published()).toBe(before);
    await runBatchProcess(BIN, path, FIXTURE_TODAY, process.env, 120_000);
    const after = published();
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
  }, 120_000);

  it("replays the last 13 weeks after the night's batch once a week, as the server schedules it", async () => {
    const path = demoDatabase(temp.path, "weekly-replay.db", 9);
    const replays: string[] = [];
    const nightAt = async (iso: string) => {
      const env = { ...process.env, OPTIFLOW_NOW: iso };
      const db = openDatabaseReadonly(path);
      try {
        await runNight({
          runBatch: () => runBatchProcess(BIN, path, iso.slice(0, 10), env),
          latestReplayAt: () => latestSimulationRef(db, null)?.createdAt ?? null,
          runReplay: () => runReplayProcess(BIN, path, env),
          now: () => new Date(iso),
          replayEveryDays: 7,
          log: {
            info: () => {},
            error: (fields) => replays.push(`failed: ${(fields as { err: Error }).err.message}`),
          },
        });
        replays.push(latestSimulationRef(db, null)?.createdAt ?? "none");
      } finally {
        db.close();
      }
    };
    await nightAt("2026-11-25T00:30:00.000Z");
    await nightAt("2026-11-26T00:30:00.000Z");
    await nightAt("2026-12-02T00:30:00.000Z");
    // The first night replays (none yet), the next does not, a week later it replays again.
    expect(replays).toEqual([
      "2026-11-25T00:30:00.000Z",
      "2026-11-25T00:30:00.000Z",
      "2026-12-02T00:30:00.000Z",
    ]);
    const db = openDatabaseReadonly(path);
    try {
      const replay = latestSimulation(db, null);
      expect(replay?.createdBy).toBe("schedule");
      expect(replay?.weeks).toBe(13);
      expect(replay?.policies.map((p) => p.policy)).toEqual(["marge", "niveau_de_service"]);
    } finally {
      db.close();
    }
    await expect(runReplayProcess(BIN, `${temp.path}/absent.db`)).rejects.toThrow(
      /replay exited with code 3: optiflow: database not found/,
    );
  }, 180_000);
});
