import { describe, expect, it } from "vitest";
import { replayLines } from "../bench/precision-replay.js";

const line = (abc: "A" | "B" | "C", serviceLevel: number, periods: number, held: number) => ({
  abc,
  serviceLevel,
  periods,
  held,
  heldShare: held / periods,
  heldRange: null,
  censored: 2,
  censoredMissed: 1,
});

describe("the displayed precision's replay table", () => {
  it("gives each batch's gap and the 28-day mean shown beside it, and the median and worst gaps", () => {
    const lines = replayLines([
      {
        today: "2026-10-07",
        source: "backtest",
        displayed: 0.82,
        measured: 0.84,
        baseline: 0.78,
        promise: { byClass: [], firstPeriodEnd: "2026-10-20" },
      },
      {
        today: "2026-10-14",
        source: "stored",
        displayed: 0.8,
        measured: 0.79,
        baseline: null,
        promise: null,
      },
      {
        today: "2026-10-21",
        source: "stored",
        displayed: 0.81,
        measured: null,
        baseline: 0.75,
        promise: {
          byClass: [
            { ...line("A", 0.98, 40, 39), heldRange: { low: 0.9012, high: 0.9951 } },
            line("B", 0.95, 20, 19),
            line("C", 0.9, 40, 35),
          ],
          firstPeriodEnd: null,
        },
      },
    ]);
    expect(lines).toContain("| 2026-10-07 | backtest | 82.0% | 84.0% | -2.0 | 78.0% | – |");
    expect(lines).toContain("| 2026-10-14 | stored | 80.0% | 79.0% | 1.0 | – | – |");
    // Held shares per class with their range (none stored: none shown), then the periods
    // checked over all three and those left out.
    expect(lines).toContain(
      "| 2026-10-21 | stored | 81.0% | – | – | 75.0% | 97.5 [90.1–99.5] / 95.0 / 87.5% (100, 6) |",
    );
    // Gaps 2.0 and 1.0: the lower median of two, and the worst.
    expect(lines.join("\n")).toContain("Gap: median 1.0 points, worst 2.0 points");
  });
});
