import { afterAll, describe, expect, it } from "vitest";
import { runBatchProcess } from "../src/batch/batch-process.js";
import { openDatabase, openDatabaseReadonly } from "../src/data/open.js";
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
});
