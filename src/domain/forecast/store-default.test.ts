import { describe, expect, it } from "vitest";
import { createRng, poisson } from "../../demo/random.js";
import { dayFromIso, weekdayOfDay } from "../calendar/days.js";
import { candidatesFor } from "./candidates.js";
import {
  categoryProfiles,
  fitStorePooled,
  forecastOneSeries,
  forecastStore,
} from "./forecast-store.js";
import type { DemandClass } from "./intermittent.js";
import type { StoreCalendar, StoreSeries } from "./model-input.js";
import {
  DEFAULT_PIPELINE,
  DEFAULT_SELECTION,
  type PipelineSpec,
  WINDOW_DAYS,
} from "./pipeline-spec.js";
import { predictPooled } from "./pooled-model.js";
import {
  chooseForecast,
  membersOfDefault,
  type ScoredSeries,
  scoreCandidates,
  yearAgoWindow,
} from "./select-model.js";
import { ensembleDefault, storeDefaultModel } from "./store-default.js";

const FIRST = dayFromIso("2023-01-02");
const HISTORY = 3 * 364;
const HORIZON = 28;
const WEEKLY = [0.8, 0.8, 0.9, 1.0, 1.2, 1.6, 0.7];

/** Fast sellers with a week and a year (even k), slow ones with mostly empty days (odd k). */
function store(count: number, seed: number): StoreSeries[] {
  const length = HISTORY + HORIZON;
  const calendar: StoreCalendar = {
    firstDay: FIRST,
    length,
    open: new Uint8Array(length).fill(1),
    events: [],
  };
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, k) => {
    const level = k % 2 === 0 ? 5 + rng() * 20 : 0.1 + rng() * 0.3;
    const sales = new Float64Array(length).fill(Number.NaN);
    for (let i = 0; i < HISTORY; i++) {
      const yearly = 1 + 0.4 * Math.sin((2 * Math.PI * i) / 365.25 + k);
      sales[i] = poisson(rng, level * (WEEKLY[weekdayOfDay(FIRST + i)] as number) * yearly);
    }
    return {
      key: `s${k}`,
      input: { sales, discount: new Float32Array(length), calendar },
      knownDays: HISTORY,
      categoryId: null,
    };
  });
}

/** The candidate with the lowest error pooled over these scored series. */
function pooledBest(scored: readonly ScoredSeries[]): string {
  const totals = new Map<string, { error: number; total: number }>();
  for (const f of scored)
    for (const [name, s] of Object.entries(f.scoreSums)) {
      const t = totals.get(name) ?? { error: 0, total: 0 };
      t.error += s.error;
      t.total += s.total;
      totals.set(name, t);
    }
  return (
    [...totals].sort((a, b) => a[1].error / a[1].total - b[1].error / b[1].total)[0]?.[0] ?? ""
  );
}

const SINGLE_DEFAULT: PipelineSpec = {
  ...DEFAULT_PIPELINE,
  selection: { ...DEFAULT_SELECTION, defaultEnsemble: false },
};

const WITH_CLASSES: PipelineSpec = {
  ...DEFAULT_PIPELINE,
  pooled: null,
  selection: { ...DEFAULT_SELECTION, classDefaults: true },
};

describe("a store's default models", () => {
  const series = store(60, 11);
  const origin = HISTORY;
  const withClasses = storeDefaultModel(series, origin, HORIZON, WITH_CLASSES);
  const storeOnly = storeDefaultModel(series, origin, HORIZON, {
    ...WITH_CLASSES,
    selection: DEFAULT_SELECTION,
  });
  const scored = [...withClasses.scored.values()];
  const byClass = new Map<DemandClass, ScoredSeries[]>();
  for (const f of scored) byClass.set(f.demandClass, [...(byClass.get(f.demandClass) ?? []), f]);

  it("are the lowest pooled error of the store, and of each class sampled often enough", () => {
    expect(withClasses.models.store).toBe(pooledBest(scored));
    expect(storeOnly.models).toEqual({ store: withClasses.models.store, byClass: {} });
    expect(byClass.size).toBeGreaterThan(1);
    for (const [demandClass, list] of byClass) {
      const own = withClasses.models.byClass[demandClass];
      if (list.length >= 20) expect(own).toBe(pooledBest(list));
      else expect(own).toBeUndefined();
    }
    expect(Object.keys(withClasses.models.byClass).length).toBeGreaterThan(0);
  });

  it("make a series keep its class's default, not the store's", () => {
    const spec = WITH_CLASSES.selection;
    let routed = 0;
    for (const s of series.slice(0, 12)) {
      const f = withClasses.scored.get(s.key);
      if (!f) continue;
      for (const candidate of f.scored.map((c) => c.name)) {
        const viaClass = chooseForecast(s.input, f, spec, {
          store: "no such model",
          byClass: { [f.demandClass]: candidate },
        });
        const asStore = chooseForecast(s.input, f, spec, { store: candidate, byClass: {} });
        const without = chooseForecast(s.input, f, spec, { store: "no such model", byClass: {} });
        expect(viaClass.model).toBe(asStore.model);
        expect(Array.from(viaClass.mean)).toEqual(Array.from(asStore.mean));
        if (viaClass.model !== without.model) routed++;
      }
    }
    // Some series keep a default the plain argmin would have left: the routing is exercised.
    expect(routed).toBeGreaterThan(0);
  });
});

describe("intermittent series shrunk to their 28-day mean", () => {
  const series = store(24, 5);
  const { scored } = storeDefaultModel(series, HISTORY, HORIZON, {
    ...DEFAULT_PIPELINE,
    pooled: null,
  });
  const shrink = { ...DEFAULT_SELECTION, shrinkIntermittent: true };
  const unshrunk = { ...DEFAULT_SELECTION, shrinkIntermittent: false };

  it("adds the 28-day mean as one more member of a sparse series, equally weighted", () => {
    let shrunk = 0;
    for (const s of series) {
      const f = scored.get(s.key);
      if (!f) continue;
      const plain = chooseForecast(s.input, f, unshrunk);
      const withLevel = chooseForecast(s.input, f, shrink);
      const sparse = f.demandClass === "intermittent" || f.demandClass === "lumpy";
      const level = "moving_average_28d";
      if (!sparse || plain.members.some((m) => m.name === level)) {
        expect(Array.from(withLevel.mean)).toEqual(Array.from(plain.mean));
        continue;
      }
      shrunk++;
      expect(withLevel.members.map((m) => m.name)).toEqual([
        ...plain.members.map((m) => m.name),
        level,
      ]);
      const levelForecast = f.finals.get(level) as Float64Array;
      const n = withLevel.members.length;
      withLevel.mean.forEach((v, h) => {
        const expected =
          ((plain.mean[h] as number) * (n - 1)) / n + (levelForecast[h] as number) / n;
        expect(v).toBeCloseTo(expected, 9);
      });
    }
    expect(shrunk).toBeGreaterThan(0);
  });

  it("by default, only the sparse series that had no promotion over their last year", () => {
    expect(DEFAULT_SELECTION.shrinkIntermittent).toBe("without-promotions");
    let shrunk = 0;
    for (const s of series) {
      const f = scored.get(s.key);
      if (!f || (f.demandClass !== "intermittent" && f.demandClass !== "lumpy")) continue;
      const plain = chooseForecast(s.input, f, unshrunk);
      const all = chooseForecast(s.input, f, shrink);
      if (all.members.length === plain.members.length) continue;
      expect(chooseForecast(s.input, f, DEFAULT_SELECTION).members).toEqual(all.members);
      shrunk++;
      // One promoted day within the year: the series keeps its own forecast.
      const discount = Float32Array.from(s.input.discount);
      discount[HISTORY - 300] = 0.2;
      const withPromotion = chooseForecast({ ...s.input, discount }, f, DEFAULT_SELECTION);
      expect(withPromotion.members).toEqual(plain.members);
      expect(Array.from(withPromotion.mean)).toEqual(Array.from(plain.mean));
      // A promotion over a year before the origin does not count.
      discount[HISTORY - 300] = 0;
      discount[HISTORY - 400] = 0.2;
      const older = chooseForecast({ ...s.input, discount }, f, DEFAULT_SELECTION);
      expect(older.members).toEqual(all.members);
    }
    expect(shrunk).toBeGreaterThan(0);
  });
});

describe("a series and its store's default", () => {
  const series = store(40, 23);
  const { scored } = storeDefaultModel(series, HISTORY, HORIZON, {
    ...DEFAULT_PIPELINE,
    pooled: null,
  });
  const error = (f: ScoredSeries, name: string) => {
    const s = f.scoreSums[name] as { error: number; total: number };
    return s.error / Math.max(s.total, 1);
  };

  it("keeps the default unless a candidate has under 30% of its error (switch margin 0.3)", () => {
    expect(DEFAULT_SELECTION.switchMargin).toBe(0.3);
    let kept = 0;
    let left = 0;
    for (const s of series) {
      const f = scored.get(s.key);
      if (!f) continue;
      const names = f.scored.map((c) => c.name);
      const leader = [...names].sort((a, b) => error(f, a) - error(f, b))[0] as string;
      for (const name of names) {
        const picked = chooseForecast(s.input, f, DEFAULT_SELECTION, { store: name, byClass: {} });
        const first = picked.members[0]?.name;
        if (error(f, leader) < 0.3 * error(f, name)) {
          expect(first).toBe(leader);
          left++;
        } else {
          expect(first).toBe(name);
          kept++;
        }
      }
    }
    // Both branches are exercised on this store.
    expect(kept).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(0);
  });
});

describe("the store default on relative errors (a variant left out)", () => {
  const series = store(60, 31);
  const relative: PipelineSpec = {
    ...DEFAULT_PIPELINE,
    pooled: null,
    selection: { ...DEFAULT_SELECTION, defaultScore: "relative" },
  };
  const { models, scored } = storeDefaultModel(series, HISTORY, HORIZON, relative);

  it("is the lowest geometric mean of each series' error over the 28-day mean's, clipped", () => {
    const logs = new Map<string, number[]>();
    for (const f of scored.values()) {
      const reference = f.scoreSums.moving_average_28d?.error ?? 0;
      for (const [name, s] of Object.entries(f.scoreSums)) {
        if (!(reference > 0 && s.total > 0)) continue;
        const ratio = Math.min(10, Math.max(0.1, s.error / reference));
        logs.set(name, [...(logs.get(name) ?? []), Math.log(ratio)]);
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const best = [...logs].sort((a, b) => mean(a[1]) - mean(b[1]))[0]?.[0];
    expect(models.store).toBe(best);
    // The 28-day mean itself scores exactly 0 (every ratio is 1): the winner is at or below it.
    expect(mean(logs.get(models.store) ?? [1])).toBeLessThanOrEqual(0);
  });
});

describe("the year-ago window's forecasts", () => {
  // Promotions in every window, so that the Prophet-like model chooses among its penalties.
  const series = store(6, 5).map((s) => {
    const discount = new Float32Array(s.input.discount.length);
    for (let i = 0; i < HISTORY; i++) if (i % 17 < 3) discount[i] = 0.3;
    return { ...s, input: { ...s.input, discount } };
  });
  const candidates = candidatesFor(DEFAULT_PIPELINE, fitStorePooled(series, HISTORY));
  const start = HISTORY - 364;

  it("are each candidate's fit at that origin alone, with the variant the recent windows chose", () => {
    for (const s of series) {
      const f = scoreCandidates(
        s.input,
        HISTORY,
        HORIZON,
        DEFAULT_SELECTION,
        undefined,
        candidates,
        {
          yearAgo: true,
        },
      );
      const window = yearAgoWindow(s.input, f);
      expect([...(window?.daily.keys() ?? [])].sort()).toEqual(
        candidates.map((c) => c.name).sort(),
      );
      for (const candidate of candidates) {
        const variant = f.scored.find((c) => c.name === candidate.name)?.variant ?? null;
        const [alone] = candidate.forecast(s.input, [start], WINDOW_DAYS, {
          prior: () => undefined,
          scoringOrigins: [],
          variant,
        }).forecasts;
        const merged = window?.daily.get(candidate.name) as Float64Array;
        // The same fit up to rounding: 364 days is four times the changepoints' spacing, so the
        // anchor's grid is the year-ago origin's own.
        const gaps = Array.from(alone as Float64Array, (v, h) => {
          return Math.abs((merged[h] as number) - v) / Math.max(1, v);
        });
        expect(Math.max(...gaps)).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it("are not made unless asked for", () => {
    const s = series[0] as StoreSeries;
    const f = scoreCandidates(s.input, HISTORY, HORIZON, DEFAULT_SELECTION, undefined, candidates);
    expect(f.yearAgoForecasts).toBeNull();
    expect(yearAgoWindow(s.input, f)).toBeNull();
  });
});

describe("a store default averaging its two best candidates", () => {
  const series = store(60, 11);
  const pooled = fitStorePooled(series, HISTORY, DEFAULT_PIPELINE);
  const single = storeDefaultModel(series, HISTORY, HORIZON, SINGLE_DEFAULT, pooled);
  const { models, scored } = storeDefaultModel(series, HISTORY, HORIZON, DEFAULT_PIPELINE, pooled);
  const members = membersOfDefault(models.store);

  /**
   * Weekly absolute errors, summed by hand over the windows the best was chosen on: each sampled
   * series' selection windows and its year-ago window.
   */
  const weeklyError = (forecastOf: (daily: (name: string) => Float64Array) => Float64Array) => {
    let error = 0;
    const add = (weeks: readonly number[], daily: Float64Array) =>
      weeks.forEach((actual, w) => {
        if (!Number.isFinite(actual)) return;
        let sum = 0;
        for (let d = 7 * w; d < 7 * w + 7; d++) sum += daily[d] as number;
        error += Math.abs(sum - actual);
      });
    for (const [key, f] of scored) {
      f.actualWeeks.forEach((weeks, k) => {
        add(
          weeks,
          forecastOf((name) => f.scored.find((c) => c.name === name)?.daily[k] as Float64Array),
        );
      });
      const s = series.find((x) => x.key === key) as StoreSeries;
      const yearAgo = yearAgoWindow(s.input, f);
      if (yearAgo)
        add(
          yearAgo.actualWeeks[0] as number[],
          forecastOf((name) => yearAgo.daily.get(name) as Float64Array),
        );
    }
    return error;
  };

  it("is the best and the runner-up averaged, when that scores better where the best was chosen", () => {
    // On these series the Prophet-like and the pooled models are close, and err differently.
    expect(members).toHaveLength(2);
    expect(members[0]).toBe(single.models.store);
    const [best, runnerUp] = members as [string, string];
    const alone = weeklyError((daily) => daily(best));
    const together = weeklyError((daily) =>
      daily(best).map((v, h) => (v + (daily(runnerUp)[h] as number)) / 2),
    );
    expect(together).toBeLessThan(alone);
  });

  it("is kept by a series as both its members, averaged, unless a candidate beats it clearly", () => {
    let kept = 0;
    for (const s of series) {
      const f = scored.get(s.key);
      if (!f) continue;
      const chosen = chooseForecast(s.input, f, DEFAULT_SELECTION, models);
      if (chosen.model !== models.store) continue;
      kept++;
      expect(chosen.members.map((m) => m.name)).toEqual(members);
      const [a, b] = members.map((name) => f.finals.get(name) as Float64Array);
      chosen.mean.forEach((v, h) => {
        expect(v).toBeCloseTo(((a?.[h] as number) + (b?.[h] as number)) / 2, 9);
      });
    }
    // The sparse half of the store adds its 28-day mean as a third member (shrinkIntermittent).
    expect(kept).toBeGreaterThanOrEqual(series.length / 3);
  });

  it("is the best alone when the spec says so", () => {
    expect(single.models.store).not.toContain("ensemble");
  });
});

describe("the store default's pair, judged where the best was chosen", () => {
  const flat = (value: number) => new Float64Array(WINDOW_DAYS).fill(value);
  const candidate = (name: string, daily: Float64Array, error: number) =>
    ({ name, variant: null, daily: [daily], error, total: 280, apeSum: 0, apeWeeks: 0 }) as const;
  // One series, one selection window selling 10 a day: "a" forecasts 12 and "b" 8, each 14 off a
  // week, and their average is exact.
  const series = {
    actualWeeks: [[70, 70, 70, 70]],
    scored: [candidate("a", flat(12), 56), candidate("b", flat(8), 56)],
  } as unknown as ScoredSeries;
  const scored = new Map([["s", series]]);
  // A year earlier the same weeks sold 20 a day: "a" forecast them exactly, "b" nothing at all.
  const yearAgo = new Map([
    [
      "s",
      {
        actualWeeks: [[140, 140, 140, 140]],
        daily: new Map([
          ["a", flat(20)],
          ["b", flat(0)],
        ]),
      },
    ],
  ]);

  it("is the pair where only the selection windows were looked at", () => {
    expect(ensembleDefault("a", "b", scored, new Map())).toBe("ensemble(a+b)");
  });

  it("is the best alone when the year-ago window, which chose it, says the pair is worse", () => {
    // Alone: 56 + 0; the pair: 0 + 4 weeks × 70.
    expect(ensembleDefault("a", "b", scored, yearAgo)).toBe("a");
  });
});

describe("choices averaged with the pooled model (blendPooled, a variant left out)", () => {
  const series = store(40, 13);
  const pooled = fitStorePooled(series, HISTORY, DEFAULT_PIPELINE);
  const { scored } = storeDefaultModel(series, HISTORY, HORIZON, DEFAULT_PIPELINE, pooled);
  const blend = { ...DEFAULT_SELECTION, blendPooled: 1.5 };
  const rank = (f: ScoredSeries, name: string) => {
    const s = f.scored.find((c) => c.name === name);
    return s ? s.error / Math.max(s.total, 1) : Number.NaN;
  };

  it("adds the pooled model as one more member where it scores within the ratio", () => {
    expect(pooled?.series).toBe(40);
    let blended = 0;
    let kept = 0;
    for (const s of series) {
      const f = scored.get(s.key);
      if (!f) continue;
      const plain = chooseForecast(s.input, f, DEFAULT_SELECTION);
      const mixed = chooseForecast(s.input, f, blend);
      const names = plain.members.map((m) => m.name);
      const chosen = names.length === 1 ? rank(f, names[0] as string) : plain.backtestWape;
      if (names.includes("pooled") || rank(f, "pooled") > 1.5 * chosen) {
        expect(mixed.members).toEqual(plain.members);
        kept++;
        continue;
      }
      blended++;
      expect(mixed.members.map((m) => m.name)).toEqual([...names, "pooled"]);
      const pooledForecast = f.finals.get("pooled") as Float64Array;
      const n = mixed.members.length;
      mixed.mean.forEach((v, h) => {
        const expected =
          ((plain.mean[h] as number) * (n - 1)) / n + (pooledForecast[h] as number) / n;
        expect(v).toBeCloseTo(expected, 9);
      });
    }
    expect(blended).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });

  it("only with a pooled model of 30 series at least: of fewer, it is one more local model", () => {
    const always = {
      ...DEFAULT_PIPELINE,
      selection: { ...DEFAULT_SELECTION, blendPooled: Number.POSITIVE_INFINITY },
    };
    const few = series.slice(0, 10);
    const fewPooled = fitStorePooled(few, HISTORY, DEFAULT_PIPELINE);
    expect(fewPooled?.series).toBe(10);
    const withPooled = (fit: typeof pooled, list: StoreSeries[]) =>
      list.map((s) => {
        const f = forecastOneSeries(
          s,
          HISTORY,
          HORIZON,
          categoryProfiles(list, HISTORY),
          always,
          fit,
        );
        return f?.choice?.members.some((m) => m.name === "pooled") ?? false;
      });
    expect(withPooled(pooled, series).every(Boolean)).toBe(true);
    const plain = few.map((s) => {
      const f = forecastOneSeries(
        s,
        HISTORY,
        HORIZON,
        categoryProfiles(few, HISTORY),
        DEFAULT_PIPELINE,
        fewPooled,
      );
      return f?.choice?.members.some((m) => m.name === "pooled") ?? false;
    });
    expect(plain.every(Boolean)).toBe(false);
    expect(withPooled(fewPooled, few)).toEqual(plain);
  });

  it("never in the default pipeline", () => {
    expect(DEFAULT_SELECTION.blendPooled).toBeUndefined();
  });
});

describe("the samples a store's models are fitted and chosen on", () => {
  // More series than the default model's sample (150) and more (series, origin) pairs than the
  // pooled model's rows: both sample.
  const series = store(240, 5);
  const reversed = [...series].reverse();
  const origin = HISTORY;

  it("follow each series' key, not its place: a store read in another order is fitted alike", () => {
    const a = fitStorePooled(series, origin) as NonNullable<ReturnType<typeof fitStorePooled>>;
    const b = fitStorePooled(reversed, origin) as NonNullable<ReturnType<typeof fitStorePooled>>;
    expect(a.rows).toBeGreaterThan(0);
    expect(b.rows).toBe(a.rows);
    // The same rows in another order: the same optimum, to the solver's tolerance (the warm
    // start's subsample follows the rows' order): 0.12% at worst here.
    let worst = 0;
    for (const s of series) {
      const fa = predictPooled(a, s.input, origin, HORIZON);
      const fb = predictPooled(b, s.input, origin, HORIZON);
      for (let h = 0; h < HORIZON; h++)
        worst = Math.max(worst, Math.abs((fa[h] as number) / (fb[h] as number) - 1));
    }
    expect(worst).toBeLessThan(5e-3);
  });

  it("choose the default model on the same series whatever their order", () => {
    const a = storeDefaultModel(series, origin, HORIZON, SINGLE_DEFAULT, null);
    const b = storeDefaultModel(reversed, origin, HORIZON, SINGLE_DEFAULT, null);
    expect(a.scored.size).toBeGreaterThan(100);
    expect(a.scored.size).toBeLessThan(series.length);
    expect([...b.scored.keys()].sort()).toEqual([...a.scored.keys()].sort());
    expect(b.models).toEqual(a.models);
    // As they were drawn before: every n-th series of the list, another sample once reversed.
    const byPlace = { ...SINGLE_DEFAULT, samplesByPosition: true };
    const c = storeDefaultModel(series, origin, HORIZON, byPlace, null);
    const d = storeDefaultModel(reversed, origin, HORIZON, byPlace, null);
    expect([...d.scored.keys()].sort()).not.toEqual([...c.scored.keys()].sort());
  });

  it("keep a series' sample when an article is listed before it", () => {
    const listed = [store(1, 99)[0] as StoreSeries, ...series].map((s, k) =>
      k === 0 ? { ...s, key: "new" } : s,
    );
    const before = new Set(
      storeDefaultModel(series, origin, HORIZON, SINGLE_DEFAULT).scored.keys(),
    );
    const after = storeDefaultModel(listed, origin, HORIZON, SINGLE_DEFAULT).scored;
    // The share drops from 150/240 to 150/241: a series may leave, none of the others joins.
    let left = 0;
    for (const key of before) if (!after.has(key)) left++;
    for (const key of after.keys()) if (key !== "new") expect(before.has(key)).toBe(true);
    expect(left).toBeLessThan(5);
  });
});

describe("articles listed in a store that has never sold them", () => {
  const sold = store(240, 5);
  // Listed chain-wide, never sold here: every known day a zero.
  const neverSold = store(60, 6).map((s, k) => ({
    ...s,
    key: `never${k}`,
    input: { ...s.input, sales: s.input.sales.map((v) => (Number.isFinite(v) ? 0 : v)) },
  }));
  const listed = [...neverSold.slice(0, 30), ...sold, ...neverSold.slice(30)];
  const origin = HISTORY;

  it("take no rows of the pooled model and no place in the default model's sample", () => {
    const pooledOf = (list: StoreSeries[], spec: PipelineSpec = DEFAULT_PIPELINE) =>
      fitStorePooled(list, origin, spec) as NonNullable<ReturnType<typeof fitStorePooled>>;
    const alone = pooledOf(sold);
    const withThem = pooledOf(listed);
    expect(withThem.series).toBe(sold.length);
    expect(withThem.rows).toBe(alone.rows);
    expect(Array.from(withThem.coefficients)).toEqual(Array.from(alone.coefficients));
    // As before 2026-12-04, they took a fifth of the series and of the rows.
    const before = pooledOf(listed, { ...DEFAULT_PIPELINE, neverSoldTeaches: true });
    expect(before.series).toBe(listed.length);
    expect(Array.from(before.coefficients)).not.toEqual(Array.from(alone.coefficients));

    const sample = [...storeDefaultModel(listed, origin, HORIZON, SINGLE_DEFAULT).scored.keys()];
    expect(sample.sort()).toEqual(
      [...storeDefaultModel(sold, origin, HORIZON, SINGLE_DEFAULT).scored.keys()].sort(),
    );
    expect(categoryProfiles(listed, origin)).toEqual(categoryProfiles(sold, origin));
  });

  it("leave every other series' forecast exactly as it was", () => {
    const plan = { origin, horizon: HORIZON };
    const alone = forecastStore(sold, plan).results;
    const withThem = forecastStore(listed, plan).results;
    sold.forEach((s, k) => {
      expect(withThem[listed.indexOf(s)]?.mean).toEqual(alone[k]?.mean);
    });
    // As before 2026-12-04, they moved other forecasts (the docs quote the largest move).
    const spec = { ...DEFAULT_PIPELINE, neverSoldTeaches: true };
    const moved = forecastStore(listed, plan, spec).results;
    let worst = 0;
    sold.forEach((s, k) => {
      const before = alone[k]?.mean ?? new Float64Array(HORIZON);
      const after = moved[listed.indexOf(s)]?.mean ?? new Float64Array(HORIZON);
      for (let h = 0; h < HORIZON; h++)
        if ((before[h] as number) > 0)
          worst = Math.max(worst, Math.abs((after[h] as number) / (before[h] as number) - 1));
    });
    console.log(
      `never-sold series in the samples: largest forecast move ${(worst * 100).toFixed(0)}%`,
    );
    expect(worst).toBeGreaterThan(0);
  });

  it("count again from their first sale, however long ago", () => {
    const once = neverSold[0] as StoreSeries;
    const sales = Float64Array.from(once.input.sales);
    sales[10] = 1;
    const withSale = { ...once, input: { ...once.input, sales } };
    expect(fitStorePooled([...sold, withSale], origin)?.series).toBe(sold.length + 1);
    // A sale on or after the origin is not known yet.
    const late = Float64Array.from(once.input.sales);
    late[origin] = 3;
    const withLate = { ...once, input: { ...once.input, sales: late } };
    expect(fitStorePooled([...sold, withLate], origin)?.series).toBe(sold.length);
  });
});
