import { describe, expect, it } from "vitest";
import {
  barHardnessTable,
  deltasAgainstOthers,
  pooledErrors,
  pooledErrorTable,
  speedTable,
  summariseHalf,
  targetsTable,
} from "../bench/accuracy-report.js";
import { POOLED_GBT, POOLED_GBT_SPEC, pooledGbtForecasts } from "../bench/references/pooled-gbt.js";
import { REFIT_NIGHT, type RollingResult, SLOW_REFERENCES } from "../bench/rolling-bench.js";
import { emptyModelWindow, type ModelWindow } from "../bench/window-score.js";
import { createRng, poisson } from "../src/demo/random.js";
import type { SeriesInput, StoreCalendar } from "../src/domain/forecast/model-input.js";

const DAYS = 700;
const ORIGIN = 600;

/** Poisson series sharing a weekly shape, each its own level (the pooled trees' kind of store). */
function series(count: number, seed: number): SeriesInput[] {
  const rng = createRng(seed);
  const calendar: StoreCalendar = {
    firstDay: 19_000,
    length: DAYS,
    open: new Uint8Array(DAYS).fill(1),
    events: [],
  };
  return Array.from({ length: count }, () => {
    const level = 0.5 + 6 * rng() ** 2;
    const sales = new Float64Array(DAYS);
    for (let t = 0; t < DAYS; t++)
      sales[t] = poisson(rng, level * (1 + 0.5 * Math.sin((2 * Math.PI * t) / 7)));
    return { sales, discount: new Float32Array(DAYS), calendar };
  });
}

describe("the pooled trees of the bench's bar", () => {
  // Smaller than the bench's, so that the test stays quick: the same code path.
  const spec = {
    ...POOLED_GBT_SPEC,
    maxRows: 8_000,
    warmStartRows: 2_000,
    boost: { ...(POOLED_GBT_SPEC.boost as NonNullable<typeof POOLED_GBT_SPEC.boost>), trees: 20 },
  };

  it("forecasts from what is known at the origin only", () => {
    const inputs = series(40, 3);
    const before = pooledGbtForecasts(inputs, ORIGIN, 28, spec);
    // What follows the origin is what the bench hides: changing it changes nothing.
    const altered = inputs.map((input) => {
      const sales = input.sales.slice();
      for (let t = ORIGIN; t < DAYS; t++) sales[t] = 1_000;
      return { ...input, sales };
    });
    const after = pooledGbtForecasts(altered, ORIGIN, 28, spec);
    expect(after).toEqual(before);
    for (const f of before) expect(f.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });

  it("follows each series' own level and the shared weekly shape", () => {
    const inputs = series(40, 5);
    const forecasts = pooledGbtForecasts(inputs, ORIGIN, 28, spec);
    let forecastTotal = 0;
    let actualTotal = 0;
    let error = 0;
    inputs.forEach((input, k) => {
      const f = forecasts[k] as Float64Array;
      for (let h = 0; h < 28; h++) {
        forecastTotal += f[h] as number;
        actualTotal += input.sales[ORIGIN + h] as number;
      }
      for (let w = 0; w < 4; w++) {
        let fw = 0;
        let aw = 0;
        for (let d = 0; d < 7; d++) {
          fw += f[7 * w + d] as number;
          aw += input.sales[ORIGIN + 7 * w + d] as number;
        }
        error += Math.abs(fw - aw);
      }
    });
    // Weekly totals of Poisson series with these levels: about 10% error is what chance leaves.
    expect(Math.abs(forecastTotal / actualTotal - 1)).toBeLessThan(0.05);
    expect(error / actualTotal).toBeLessThan(0.2);
  });
});

describe("the full bar", () => {
  const scored = (wape: number, onSample: boolean): ModelWindow => {
    const w = emptyModelWindow();
    const sums = { error: wape * 100, actual: 100, signed: 0 };
    w.all = { ...sums };
    if (onSample) w.sample = { ...sums };
    return w;
  };
  const result: RollingResult = {
    set: "s",
    description: "",
    series: 200,
    sampleSize: 48,
    msPerSeries: {},
    referenceFailures: {},
    windows: [
      {
        origin: 0,
        date: "2025-01-01",
        half: "test",
        models: {
          optiflow: scored(0.4, true),
          moving_average_28d: scored(0.5, true),
          [SLOW_REFERENCES[0] as string]: scored(0.45, true),
          [POOLED_GBT]: scored(0.32, true),
        },
      },
    ],
  };

  it("holds the pooled trees where they ran, and the previous bar leaves them out", () => {
    const withTrees = summariseHalf(result, "test");
    const previous = summariseHalf(result, "test", "optiflow", SLOW_REFERENCES);
    expect(withTrees.deltaSample[0]).toBeCloseTo(0.4 / 0.32 - 1, 10);
    expect(withTrees.barWinners).toEqual({ [POOLED_GBT]: 1 });
    expect(previous.deltaSample[0]).toBeCloseTo(0.4 / 0.45 - 1, 10);
    // The cheap bar is the cheap references' alone.
    expect(withTrees.deltaAll[0]).toBeCloseTo(0.4 / 0.5 - 1, 10);
  });

  it("sets each model against the best of the others, never against itself or Optiflow", () => {
    expect(deltasAgainstOthers(result, "optiflow")[0]).toBeCloseTo(0.4 / 0.32 - 1, 10);
    // The pooled trees are the bar; against the others, the best is the slow reference.
    expect(deltasAgainstOthers(result, POOLED_GBT)[0]).toBeCloseTo(0.32 / 0.45 - 1, 10);
    expect(deltasAgainstOthers(result, "moving_average_28d")[0]).toBeCloseTo(0.5 / 0.32 - 1, 10);
    const table = barHardnessTable([result]);
    const row = table.find((line) => line.startsWith("| s |"));
    expect(table.find((line) => line.startsWith("| set |"))).toBe(
      `| set | optiflow | moving_average_28d | ${SLOW_REFERENCES[0]} | ${POOLED_GBT} |`,
    );
    expect(row).toBe(
      "| s | +25.0% / +25.0% | +56.3% / +56.3% | +40.6% / +40.6% | -28.9% / -28.9% |",
    );
  });

  it("is left out of a run without the slow references", () => {
    const cheapOnly: RollingResult = {
      ...result,
      windows: result.windows.map((w) => ({
        ...w,
        models: { optiflow: w.models.optiflow!, moving_average_28d: w.models.moving_average_28d! },
      })),
    };
    expect(barHardnessTable([cheapOnly])).toEqual([]);
    expect(deltasAgainstOthers(cheapOnly, "optiflow")).toEqual([]);
  });
});

describe("each model's pooled error", () => {
  const scored = (error: number, actual: number, slow = false): ModelWindow => {
    const w = emptyModelWindow();
    const sums = { error, actual, signed: 0 };
    w.sample = { ...sums };
    if (!slow) {
      w.all = { error: 2 * error, actual: 2 * actual, signed: 0 };
      w.intermittent = { error, actual: actual / 2, signed: 0 };
    }
    return w;
  };
  const slow = SLOW_REFERENCES[0] as string;
  const window = (
    date: string,
    half: "tuning" | "test",
    models: Record<string, ModelWindow>,
  ): RollingResult["windows"][number] => ({ origin: 0, date, half, models });
  const result: RollingResult = {
    set: "s",
    description: "",
    series: 200,
    sampleSize: 48,
    msPerSeries: {},
    referenceFailures: {},
    windows: [
      // Optiflow is better on the small window, the slow reference on the large one.
      window("2025-01-01", "test", {
        optiflow: scored(10, 100),
        moving_average_28d: scored(30, 100),
        [slow]: scored(20, 100),
      }),
      window("2025-02-01", "test", {
        optiflow: scored(300, 1000),
        moving_average_28d: scored(400, 1000),
        [slow]: scored(250, 1000),
      }),
      // The tuning half is not the table's.
      window("2025-03-01", "tuning", {
        optiflow: scored(0, 100),
        moving_average_28d: scored(0, 100),
        [slow]: scored(1000, 100),
      }),
    ],
  };

  it("pools the weeks' errors over the test half rather than averaging its windows' WAPEs", () => {
    // Σ error / Σ actual: (10 + 300) / 1100, where a mean of the windows' WAPEs gives 20%.
    expect(pooledErrors(result, "optiflow").sample).toBeCloseTo(310 / 1100, 12);
    expect(pooledErrors(result, slow).sample).toBeCloseTo(270 / 1100, 12);
    expect(pooledErrors(result, "optiflow").all).toBeCloseTo(620 / 2200, 12);
    expect(pooledErrors(result, "optiflow").intermittent).toBeCloseTo(310 / 550, 12);
    // A slow reference runs on the sample only.
    expect(pooledErrors(result, slow).all).toBeNaN();
    const row = pooledErrorTable([result]).find((line) => line.startsWith("| s |"));
    expect(row).toBe(`| s | 28.2% (28.2% · 56.4%) | 39.1% (39.1% · 78.2%) | 24.5% | ${slow} |`);
  });

  it("leaves out a model missing from any window, so that every model pools the same weeks", () => {
    const missing: RollingResult = {
      ...result,
      windows: result.windows.map((w, k) =>
        k === 0
          ? window(w.date, w.half, { optiflow: w.models.optiflow!, [slow]: w.models[slow]! })
          : w,
      ),
    };
    expect(pooledErrors(missing, "moving_average_28d").sample).toBeNaN();
    expect(pooledErrors(missing, "moving_average_28d").all).toBeNaN();
    expect(pooledErrorTable([{ ...result, windows: [] }]).length).toBe(0);
  });
});

describe("the speed table", () => {
  const result = (msPerSeries: Record<string, number>): RollingResult => ({
    set: "a set",
    description: "",
    series: 10,
    sampleSize: 10,
    windows: [],
    msPerSeries,
    referenceFailures: {},
  });

  it("sets a selection night, a refit night and their mean night against augurs Prophet's faster configuration", () => {
    const [row] = speedTable([
      result({
        optiflow: 2,
        [REFIT_NIGHT]: 0.4,
        "augurs_prophet (log1p + events)": 60,
        "augurs_prophet (raw + events)": 48,
        augurs_mstl_ets: 1,
      }),
    ]).filter((line) => line.startsWith("| a set"));
    // A selection serves 8 nights: (2 + 7 × 0.4) / 8 = 0.6 ms; 48 / 2, 48 / 0.4, 48 / 0.6.
    expect(row).toBe("| a set | 2.00 ms | 0.40 ms | 0.60 ms | 48.00 ms | 24× / 120× / 80× |");
  });

  it("says when augurs did not run rather than dividing by nothing", () => {
    const [row] = speedTable([result({ optiflow: 2, [REFIT_NIGHT]: 0.4 })]).filter((line) =>
      line.startsWith("| a set"),
    );
    expect(row).toBe("| a set | 2.00 ms | 0.40 ms | 0.60 ms | – | – / – / – |");
  });
});

describe("the targets table", () => {
  /** A model's window: its WAPE on every series, the sample and the sample's intermittent ones. */
  const scored = (wape: number, intermittent: number, coverage = 0): ModelWindow => ({
    ...emptyModelWindow(),
    all: { error: wape * 100, actual: 100, signed: 0 },
    sample: { error: wape * 100, actual: 100, signed: 0 },
    sampleIntermittent: { error: intermittent * 100, actual: 100, signed: 0 },
    covered: coverage * 1000,
    known: 1000,
  });
  const slow = SLOW_REFERENCES[0] as string;
  // Three test windows: Optiflow 20% below the bar, then 4% and 10% above it.
  const windows = [0.8, 1.04, 1.1].map((ratio, k) => ({
    origin: k,
    date: `2025-0${k + 1}-01`,
    half: "test" as const,
    models: {
      optiflow: scored(0.5 * ratio, 0.45, 0.79),
      moving_average_28d: scored(0.6, 0.5),
      [slow]: scored(0.5, 0.6),
    },
  }));
  const result: RollingResult = {
    set: "s",
    description: "",
    series: 200,
    sampleSize: 48,
    msPerSeries: { optiflow: 0.5, [REFIT_NIGHT]: 0.1, "augurs_prophet (raw + events)": 45 },
    referenceFailures: {},
    windows,
  };

  it("says of each target whether this run meets it, with its figure", () => {
    const row = targetsTable([result]).find((line) => line.startsWith("| s |"));
    // Median Δ +4.0% (not ≤ −10%), worst +10.0% (not ≤ +5%); intermittent 0.45 / 0.5 − 1 =
    // −10.0% in every window; coverage 79%; 45 / 0.5 = 90× on a selection night.
    expect(row).toBe(
      "| s | **not met** (+4.0%) | **not met** (+10.0%) | met (-10.0%) | met (79.0%) | **not met** (90×) | 2 of 5 |",
    );
  });

  it("leaves out what the run could not judge: no slow references, no time for augurs", () => {
    const cheapOnly: RollingResult = {
      ...result,
      msPerSeries: { optiflow: 0.5 },
      windows: windows.map((w) => ({
        ...w,
        models: { optiflow: w.models.optiflow, moving_average_28d: w.models.moving_average_28d },
      })),
    };
    const row = targetsTable([cheapOnly]).find((line) => line.startsWith("| s |"));
    expect(row).toBe("| s | – | – | – | met (79.0%) | – | 1 of 1 |");
  });
});
