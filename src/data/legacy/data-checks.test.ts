import { describe, expect, it } from "vitest";
import { shareChecks } from "./data-checks.js";

describe("sharing the data checks among threads", () => {
  it("gives every check to exactly one thread, the heavy scans apart", () => {
    for (const parts of [1, 2, 3, 4]) {
      const groups = shareChecks(parts);
      expect(groups).toHaveLength(parts);
      const all = groups.flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i));
      expect(all.length).toBeGreaterThan(10);
    }
    const [a, b] = shareChecks(2);
    // The duplicate-day and invalid-value scans of `ventes` are the two heaviest.
    const heavy = [7, 9];
    expect(heavy.filter((i) => a?.includes(i))).toHaveLength(1);
    expect(heavy.filter((i) => b?.includes(i))).toHaveLength(1);
  });
});
