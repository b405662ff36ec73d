import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import { dayFromIso, weekdayOfDay } from "../calendar/days.js";
import { classifyDemand, croston, sba, tsb } from "./intermittent.js";
import type { SeriesInput, StoreCalendar } from "./model-input.js";
import {
  DemandCdf,
  demandCdf,
  demandQuantile,
  estimateOverdispersion,
  totalDemandQuantile,
} from "./quantiles.js";
import { fitSeasonalModel, predictSeasonal } from "./seasonal-model.js";
import { forecastSeries } from "./select-model.js";

const FIRST = dayFromIso("2023-01-02"); // a Monday
const HISTORY = 3 * 364;
const HORIZON = 63;
const WEEKLY = [0.8, 0.8, 0.9, 1.0, 1.2, 1.6, 0.7];

function calendar(eventDays: number[] = [], closedWeekday: number | null = null): StoreCalendar {
  const length = HISTORY + HORIZON;
  const open = new Uint8Array(length).fill(1);
  if (closedWeekday !== null)
    for (let i = 0; i < length; i++) if (weekdayOfDay(FIRST + i) === closedWeekday) open[i] = 0;
  const active = new Uint8Array(length);
  for (const d of eventDays) active[d] = 1;
  return { firstDay: FIRST, length, open, events: [{ type: "LOCAL", active }] };
}

/** Poisson sales around a known expected demand; returns the truth too. */
function synthetic(
  cal: StoreCalendar,
  level: number,
  options: { uplift?: number; yearly?: number; seed?: number } = {},
) {
  const rng = createRng(options.seed ?? 1);
  const truth = new Float64Array(cal.length);
  const sales = new Float64Array(cal.length).fill(Number.NaN);
  for (let i = 0; i < cal.length; i++) {
    const yearly = 1 + (options.yearly ?? 0) * Math.sin((2 * Math.PI * i) / 365.25);
    const event = cal.events[0]!.active[i] === 1 ? (options.uplift ?? 1) : 1;
    truth[i] = cal.open[i] === 1 ? level * WEEKLY[weekdayOfDay(FIRST + i)]! * yearly * event : 0;
    if (i < HISTORY && cal.open[i] === 1) sales[i] = poisson(rng, truth[i]!);
  }
  return {
    truth,
    input: { sales, discount: new Float32Array(cal.length), calendar: cal } satisfies SeriesInput,
  };
}

const sum = (a: ArrayLike<number>, from = 0, to = a.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] as number;
  return s;
};

describe("Prophet-like seasonal model", () => {
  it("recovers the weekly profile within 8%", () => {
    const { input, truth } = synthetic(calendar(), 30);
    const fit = fitSeasonalModel(input, HISTORY)!;
    const forecast = predictSeasonal(fit, input, HISTORY, 63);
    const total = sum(forecast);
    const trueTotal = sum(truth, HISTORY, HISTORY + 63);
    for (let w = 0; w < 7; w++) {
      let f = 0;
      let t = 0;
      for (let h = w; h < 63; h += 7) {
        f += forecast[h]!;
        t += truth[HISTORY + h]!;
      }
      expect(f / total).toBeCloseTo(t / trueTotal, 1);
      expect(Math.abs(f / total / (t / trueTotal) - 1)).toBeLessThan(0.08);
    }
  });

  it("recovers a yearly shape: forecasts follow the season, not the last weeks", () => {
    const { input, truth } = synthetic(calendar(), 20, { yearly: 0.5 });
    const forecast = predictSeasonal(fitSeasonalModel(input, HISTORY)!, input, HISTORY, 63);
    const ratio = sum(forecast) / sum(truth, HISTORY, HISTORY + 63);
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);
  });

  it("learns an event uplift and applies it to a future occurrence (within 15%)", () => {
    const events = Array.from({ length: 30 }, (_, k) => 20 + k * 37).filter((d) => d < HISTORY);
    const future = HISTORY + 10;
    const cal = calendar([...events, future]);
    const { input, truth } = synthetic(cal, 10, { uplift: 2 });
    const forecast = predictSeasonal(fitSeasonalModel(input, HISTORY)!, input, HISTORY, 63);
    const baseline = forecast[3]! / truth[HISTORY + 3]!; // same weekday as `future`, no event
    const uplift = forecast[10]! / truth[future]! / baseline;
    expect(Math.abs(uplift - 1)).toBeLessThan(0.15);
  });

  it("does not read censored days as zero demand", () => {
    const { input, truth } = synthetic(calendar(), 12);
    const censored = { ...input, sales: input.sales.slice() };
    const asZeros = { ...input, sales: input.sales.slice() };
    const rng = createRng(5);
    for (let i = 0; i < HISTORY; i++) {
      if (rng() < 0.3) {
        censored.sales[i] = Number.NaN;
        asZeros.sales[i] = 0;
      }
    }
    const target = sum(truth, HISTORY, HISTORY + 28);
    const fromCensored = sum(forecastSeries(censored, HISTORY, 28).mean);
    const fromZeros = sum(forecastSeries(asZeros, HISTORY, 28).mean);
    expect(Math.abs(fromCensored / target - 1)).toBeLessThan(0.1);
    expect(fromZeros / target).toBeLessThan(0.85);
  });

  it("forecasts zero on closed days", () => {
    const cal = calendar([], 6);
    const { input } = synthetic(cal, 10);
    const result = forecastSeries(input, HISTORY, 28);
    for (let h = 0; h < 28; h++) if (cal.open[HISTORY + h] === 0) expect(result.mean[h]).toBe(0);
  });
});

describe("intermittent demand", () => {
  const cal = calendar();
  const rng = createRng(9);
  const sales = new Float64Array(cal.length).fill(Number.NaN);
  for (let i = 0; i < HISTORY; i++) sales[i] = rng() < 0.12 ? 1 + Math.floor(rng() * 3) : 0;
  const input: SeriesInput = { sales, discount: new Float32Array(cal.length), calendar: cal };
  const trueRate = 0.12 * 2;

  it("classifies sparse series as intermittent or lumpy", () => {
    expect(["intermittent", "lumpy"]).toContain(
      classifyDemand(sales.subarray(0, HISTORY)).demandClass,
    );
    expect(classifyDemand(synthetic(cal, 30).input.sales.subarray(0, HISTORY)).demandClass).toBe(
      "smooth",
    );
  });

  it("gives Croston, SBA and TSB rates near the true rate, SBA below Croston", () => {
    const [c, s, t] = [croston, sba, tsb].map((f) => f(input, HISTORY, 7)[0] as number) as [
      number,
      number,
      number,
    ];
    for (const rate of [c, s, t]) expect(Math.abs(rate / trueRate - 1)).toBeLessThan(0.35);
    expect(s).toBeLessThan(c);
  });

  it("selects a forecast whose total is near the true demand", () => {
    const result = forecastSeries(input, HISTORY, 28);
    expect(Math.abs(sum(result.mean) / (trueRate * 28) - 1)).toBeLessThan(0.35);
  });
});

describe("degenerate input never gives NaN or negative forecasts", () => {
  const cal = calendar();
  const cases: Record<string, (s: Float64Array) => void> = {
    "all zeros": (s) => s.fill(0, 0, HISTORY),
    "a single known point": (s) => {
      s.fill(Number.NaN);
      s[HISTORY - 1] = 5;
    },
    "nothing known": (s) => s.fill(Number.NaN),
    "negative returns": (s) => {
      for (let i = 0; i < HISTORY; i++) s[i] = i % 5 === 0 ? -2 : 3;
    },
    "a gap of months": (s) => {
      for (let i = 0; i < HISTORY; i++)
        s[i] = i > HISTORY - 200 && i < HISTORY - 30 ? Number.NaN : 4;
    },
    "a huge outlier": (s) => {
      for (let i = 0; i < HISTORY; i++) s[i] = 2;
      s[HISTORY - 3] = 1e6;
    },
  };
  for (const [label, shape] of Object.entries(cases)) {
    it(label, () => {
      const sales = new Float64Array(cal.length).fill(Number.NaN);
      shape(sales);
      const result = forecastSeries(
        { sales, discount: new Float32Array(cal.length), calendar: cal },
        HISTORY,
        60,
      );
      expect(result.mean).toHaveLength(60);
      for (const v of result.mean) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
      expect(Number.isFinite(result.phi)).toBe(true);
    });
  }
});

describe("quantiles", () => {
  it("gives, through DemandCdf, demandCdf's values to the bit, whatever order it is asked in", () => {
    const rng = createRng(11);
    for (const mean of [0, 1e-13, 0.3, 4, 60, 149.9, 150.1, 400])
      for (const phi of [0, 1e-7, 0.2, 2]) {
        const table = new DemandCdf(mean, phi);
        for (let i = 0; i < 60; i++) {
          const x = i % 7 === 0 ? -1 + rng() * 3 : Math.floor(rng() * (mean * 3 + 40));
          expect(table.at(x)).toBe(demandCdf(mean, phi, x));
        }
      }
  });

  it("gives ordered quantiles and Poisson ones when there is no overdispersion", () => {
    expect(demandQuantile(4, 0, 0.1)).toBe(2);
    expect(demandQuantile(4, 0, 0.5)).toBe(4);
    expect(demandQuantile(4, 0, 0.9)).toBe(7);
    expect(demandQuantile(0, 1, 0.9)).toBe(0);
    expect(demandQuantile(4, 1, 0.9)).toBeGreaterThan(demandQuantile(4, 0, 0.9));
  });

  it("sums daily demand over a lead time", () => {
    expect(totalDemandQuantile([2, 2, 2, 2], 0, 0.5)).toBe(demandQuantile(8, 0, 0.5));
    expect(totalDemandQuantile([300, 300], 0.1, 0.95)).toBeGreaterThan(600);
  });

  it("estimates overdispersion from errors", () => {
    const rng = createRng(3);
    const f = new Float64Array(2000).fill(5);
    const a = f.map(() => poisson(rng, 5));
    expect(estimateOverdispersion(f, a)).toBeLessThan(0.05);
  });
});
