import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BenchPanel } from "../bench/datasets/panel.js";
import { panelThroughBatch } from "../bench/panel-through-batch.js";
import { wapeOf } from "../bench/window-score.js";
import { createRng, poisson } from "../src/demo/random.js";
import { dayFromIso } from "../src/domain/calendar/days.js";
import type { StoreCalendar } from "../src/domain/forecast/model-input.js";

const dir = mkdtempSync(join(tmpdir(), "optiflow-through-batch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAYS = 800;
const ORIGIN = 760;

/** Two stores of steady Poisson sellers, one of them on promotion (×2) in the hidden weeks. */
function panel(): BenchPanel {
  const rng = createRng(7);
  const firstDay = dayFromIso("2023-01-02");
  const stores = ["S1", "S2"].map((id) => {
    const calendar: StoreCalendar = {
      firstDay,
      length: DAYS,
      open: new Uint8Array(DAYS).fill(1),
      events: [],
    };
    return {
      id,
      calendar,
      series: [4, 9, 20].map((level, k) => {
        const discount = new Float32Array(DAYS);
        if (k === 2) for (let i = 40; i < DAYS; i += 90) discount.fill(0.3, i, i + 10);
        const sales = Float64Array.from({ length: DAYS }, (_, i) =>
          poisson(rng, level * (discount[i] ? 2 : 1) * (i % 7 === 5 ? 1.5 : 1)),
        );
        return { id: `${id}/item${k}`, categoryId: 1, input: { sales, discount, calendar } };
      }),
    };
  });
  return { name: "synthetic", description: "", firstDay, length: DAYS, stores };
}

describe("a bench set through the product's own path", () => {
  it("imports it, runs the batch for the window's day and scores what it published", async () => {
    const run = await panelThroughBatch(panel(), ORIGIN, dir);
    expect(run.series).toBe(6);
    // Steady Poisson weeks of 28 to 140 units, one promotion the batch must be told of: a
    // forecast that missed the sales rows, the stores or the promotion would be far off.
    expect(wapeOf(run.sums)).toBeLessThan(0.12);
    expect(run.sums.actual).toBeGreaterThan(0);
  });

  it("sets the country as a user would, and says so when the CLI refuses it", async () => {
    const run = await panelThroughBatch(panel(), ORIGIN, dir, "none");
    expect(run.series).toBe(6);
    await expect(panelThroughBatch(panel(), ORIGIN, dir, "XX")).rejects.toThrow(
      /settings set country XX: .*country/s,
    );
  });
});
