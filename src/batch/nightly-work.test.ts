import { describe, expect, it } from "vitest";
import { type NightlyWork, replayDue, runNight } from "./nightly-work.js";

const NOW = new Date("2026-11-25T00:31:00Z");

describe("replayDue", () => {
  it("is due with no replay yet, or one a week old (a minute early too), not before", () => {
    expect(replayDue(null, NOW, 7)).toBe(true);
    expect(replayDue("2026-11-18T00:32:10.000Z", NOW, 7)).toBe(true);
    expect(replayDue("2026-11-18T14:00:00.000Z", NOW, 7)).toBe(false);
    expect(replayDue("2026-11-24T00:31:00.000Z", NOW, 7)).toBe(false);
    expect(replayDue("2026-11-24T00:31:00.000Z", NOW, 1)).toBe(true);
  });

  it("is never due at 0 days; an unreadable timestamp is replaced", () => {
    expect(replayDue(null, NOW, 0)).toBe(false);
    expect(replayDue("not a date", NOW, 7)).toBe(true);
  });
});

describe("runNight", () => {
  function night(overrides: Partial<NightlyWork> = {}) {
    const calls: string[] = [];
    const work: NightlyWork = {
      runBatch: async () => void calls.push("batch"),
      latestReplayAt: () => null,
      runReplay: async () => void calls.push("replay"),
      now: () => NOW,
      replayEveryDays: 7,
      log: {
        info: (_fields, message) => void calls.push(`info: ${message}`),
        error: (_fields, message) => void calls.push(`error: ${message}`),
      },
      ...overrides,
    };
    return { work, calls };
  }

  it("replays after the batch when due, and says so", async () => {
    const { work, calls } = night();
    await runNight(work);
    expect(calls).toEqual(["batch", "replay", "info: scheduled replay stored"]);
  });

  it("does not replay when the latest replay is recent", async () => {
    const { work, calls } = night({ latestReplayAt: () => "2026-11-22T00:31:00.000Z" });
    await runNight(work);
    expect(calls).toEqual(["batch"]);
  });

  it("leaves a failed batch to the caller, without replaying", async () => {
    const { work, calls } = night({
      runBatch: async () => {
        throw new Error("locked");
      },
    });
    await expect(runNight(work)).rejects.toThrow("locked");
    expect(calls).toEqual([]);
  });

  it("logs a failed replay and resolves: the batch's night is not a failure", async () => {
    const { work, calls } = night({
      runReplay: async () => {
        throw new Error("replay exited with code 2");
      },
    });
    await runNight(work);
    expect(calls).toEqual(["batch", "error: scheduled replay failed"]);
  });
});
