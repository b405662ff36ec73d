import { describe, expect, it } from "vitest";
import { replayLines } from "../bench/precision-replay.js";

describe("the displayed precision's replay table", () => {
  it("gives each batch's gap and the 28-day mean shown beside it, and the median and worst gaps", () => {
    const lines = replayLines([
      { today: "2026-10-07", source: "backtest", displayed: 0.82, measured: 0.84, baseline: 0.78 },
      { today: "2026-10-14", source: "stored", displayed: 0.8, measured: 0.79, baseline: null },
      { today: "2026-10-21", source: "stored", displayed: 0.81, measured: null, baseline: 0.75 },
    ]);
    expect(lines).toContain("| 2026-10-07 | backtest | 82.0% | 84.0% | -2.0 | 78.0% |");
    expect(lines).toContain("| 2026-10-14 | stored | 80.0% | 79.0% | 1.0 | – |");
    expect(lines).toContain("| 2026-10-21 | stored | 81.0% | – | – | 75.0% |");
    // Gaps 2.0 and 1.0: the lower median of two, and the worst.
    expect(lines.join("\n")).toContain("Gap: median 1.0 points, worst 2.0 points");
  });
});
