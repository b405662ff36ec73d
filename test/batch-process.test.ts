import { afterAll, describe, expect, it } from "vitest";
import { runBatchProcess } from "../src/batch/batch-process.js";
import { openDatabaseReadonly } from "../src/data/open.js";
import { latestRun, publishedRunId } from "../src/data/optiflow/runs-repository.js";
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
    // No batch, not even a 9-article one, gets through its start and backup in 100 ms.
    await expect(runBatchProcess(BIN, path, FIXTURE_TODAY, process.env, 100)).rejects.toThrow(
      "batch still running after 0.1 s: stopped; the previous publication stays served",
    );
    expect(published()).toBe(before);
    await runBatchProcess(BIN, path, FIXTURE_TODAY, process.env, 120_000);
    const after = published();
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
  }, 120_000);
});
