import { describe, expect, it } from "vitest";
import { formatObject } from "./output.js";

describe("the CLI's text for people", () => {
  it("writes an object inside a table's row on one line, its fields named", () => {
    const lines = formatObject({
      byClass: [
        { abc: "A", heldShare: 0.9902, heldRange: { low: 0.9812, high: 0.996 }, censored: 130 },
        { abc: "C", heldShare: null, heldRange: null, censored: 2 },
      ],
    });
    expect(lines).toEqual([
      "byClass:",
      "  abc  heldShare  heldRange            censored",
      "  ---  ---------  -------------------  --------",
      "  A         0.99  low 0.98, high 1.00       130",
      "  C                                           2",
    ]);
    expect(lines.join("\n")).not.toContain("[object Object]");
  });
});
