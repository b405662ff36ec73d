import { describe, expect, it } from "vitest";
import { readConfig } from "./config.js";

describe("readConfig: the weekly replay", () => {
  it("replays every 7 days by default; 0 turns it off", () => {
    expect(readConfig({}).replayEveryDays).toBe(7);
    expect(readConfig({ OPTIFLOW_REPLAY_EVERY_DAYS: "0" }).replayEveryDays).toBe(0);
    expect(readConfig({ OPTIFLOW_REPLAY_EVERY_DAYS: "14" }).replayEveryDays).toBe(14);
  });

  it("names the variable and what it expects when the value is not a day count", () => {
    for (const bad of ["-1", "1.5", "week", "366"])
      expect(() => readConfig({ OPTIFLOW_REPLAY_EVERY_DAYS: bad })).toThrow(
        `OPTIFLOW_REPLAY_EVERY_DAYS: "${bad}" is not an integer between 0 and 365`,
      );
  });
});
