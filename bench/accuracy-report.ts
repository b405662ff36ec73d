import { SELECTION_SERVES_DAYS } from "../src/domain/forecast/pipeline-spec.js";
import { MANY_SERIES, POOLED_GBT } from "./references/pooled-gbt.js";
import {
  CHEAP_REFERENCES,
  FULL_BAR_REFERENCES,
  REFIT_NIGHT,
  type RollingResult,
  SLOW_REFERENCES,
} from "./rolling-bench.js";
import type { Half } from "./rolling-origins.js";
import { biasOf, emptySums, merge, type Sums, wapeOf } from "./window-score.js";

/**
 * The figures of SPEC §5's protocol for one set and one half: per window, Optiflow's weekly WAPE
 * against the bar (the best reference of that window), then the median and the worst window.
 * Two bars: the cheap references on every series, and every reference (Prophet, MSTL and the
 * pooled trees included) on the sample of series the slow ones ran on.
 */
export interface HalfSummary {
  windows: number;
  /** Δ = Optiflow / bar − 1, per window, on all series against the cheap references. */
  deltaAll: number[];
  /** The same on the sample, against every reference (windows where the slow ones ran). */
  deltaSample: number[];
  deltaIntermittentAll: number[];
  deltaIntermittentSample: number[];
  /** Pooled over the half's windows. */
  wape: number;
  /** The same on the intermittent series. */
  wapeIntermittent: number;
  barWapeAll: number;
  bias: number;
  coverage: number;
  /** Which reference was the bar how often (on the sample where available, else all series). */
  barWinners: Record<string, number>;
}

const pooled = (sums: Sums[]) => {
  const total = emptySums();
  for (const s of sums) merge(total, s);
  return total;
};

export function summariseHalf(
  result: RollingResult,
  half: Half,
  optiflow = "optiflow",
  fullBar: readonly string[] = FULL_BAR_REFERENCES,
): HalfSummary {
  const windows = result.windows.filter((w) => w.half === half && w.models[optiflow]);
  const deltaAll: number[] = [];
  const deltaSample: number[] = [];
  const deltaIntermittentAll: number[] = [];
  const deltaIntermittentSample: number[] = [];
  const barWinners: Record<string, number> = {};
  let covered = 0;
  let known = 0;
  const barSums: Sums[] = [];
  for (const w of windows) {
    const o = w.models[optiflow]!;
    covered += o.covered;
    known += o.known;
    const cheap = CHEAP_REFERENCES.filter((r) => w.models[r]);
    const bestAll = best(cheap, (r) => wapeOf(w.models[r]!.all));
    if (bestAll) {
      deltaAll.push(wapeOf(o.all) / wapeOf(w.models[bestAll]!.all) - 1);
      barSums.push(w.models[bestAll]!.all);
    }
    const bestIntAll = best(cheap, (r) => wapeOf(w.models[r]!.intermittent));
    if (bestIntAll && o.intermittent.actual > 0)
      deltaIntermittentAll.push(
        wapeOf(o.intermittent) / wapeOf(w.models[bestIntAll]!.intermittent) - 1,
      );
    const every = barModels(w.models, fullBar);
    const hasSlow = fullBar.some((r) => w.models[r]);
    if (hasSlow) {
      const bestSample = best(every, (r) => wapeOf(w.models[r]!.sample));
      if (bestSample) {
        deltaSample.push(wapeOf(o.sample) / wapeOf(w.models[bestSample]!.sample) - 1);
        barWinners[bestSample] = (barWinners[bestSample] ?? 0) + 1;
      }
      const bestIntSample = best(every, (r) => wapeOf(w.models[r]!.sampleIntermittent));
      if (bestIntSample && o.sampleIntermittent.actual > 0)
        deltaIntermittentSample.push(
          wapeOf(o.sampleIntermittent) / wapeOf(w.models[bestIntSample]!.sampleIntermittent) - 1,
        );
    } else if (bestAll) barWinners[bestAll] = (barWinners[bestAll] ?? 0) + 1;
  }
  const all = pooled(windows.map((w) => w.models[optiflow]!.all));
  return {
    windows: windows.length,
    deltaAll: deltaAll.filter(Number.isFinite),
    deltaSample: deltaSample.filter(Number.isFinite),
    deltaIntermittentAll: deltaIntermittentAll.filter(Number.isFinite),
    deltaIntermittentSample: deltaIntermittentSample.filter(Number.isFinite),
    wape: wapeOf(all),
    wapeIntermittent: wapeOf(pooled(windows.map((w) => w.models[optiflow]!.intermittent))),
    barWapeAll: wapeOf(pooled(barSums)),
    bias: biasOf(all),
    coverage: known > 0 ? covered / known : Number.NaN,
    barWinners,
  };
}

/** The models of a window's full bar that ran in it, `except` one of them. */
function barModels(
  models: Readonly<Record<string, unknown>>,
  fullBar: readonly string[] = FULL_BAR_REFERENCES,
  except: string | null = null,
): string[] {
  return [...CHEAP_REFERENCES, ...fullBar].filter((m) => m !== except && models[m]);
}

function best(names: readonly string[], score: (name: string) => number): string | null {
  let winner: string | null = null;
  let value = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const v = score(name);
    if (Number.isFinite(v) && v < value) {
      value = v;
      winner = name;
    }
  }
  return winner;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const worst = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : Math.max(...values);

export const pct = (v: number, digits = 1): string =>
  Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : "–";

export const signedPct = (v: number): string =>
  Number.isFinite(v) ? `${v > 0 ? "+" : ""}${(v * 100).toFixed(1)}%` : "–";

/** The protocol's tables for every set: the test half, as the targets are judged. */
export function accuracyTables(results: readonly RollingResult[]): string[] {
  const lines = [
    "## Accuracy on data the engine never saw (test half)",
    "",
    `Rolling origins every 4 weeks over the last two years of each set (26 windows of 28 days), split once and for all: by date, even windows are the **tuning** half (design choices may look at them), odd ones the **test** half (they may not). Below, the test half only. Δ = Optiflow's weekly WAPE / the bar's − 1 per window (negative: Optiflow better); the bar is the best reference *of that window*. Two bars: *cheap* = the best of seasonal naive, weekday mean 8 w and 28-day mean on every series; *full* = the best of those, augurs MSTL+ETS, augurs Prophet (log1p + events, raw + events) and, on a set of at least ${MANY_SERIES} series, SPEC §5's pooled model (\`${POOLED_GBT}\`: Poisson gradient-boosted trees fitted once on all the set's series, direct 28-day horizons; bench/references/pooled-gbt.ts) on a fixed random sample of the set's series (augurs runs on the sample only; its size is given). Optiflow's Δ against the best of the full bar *without* the pooled trees, the bar of the previous reports, is in the last column.`,
    "",
    "| set | series (sample) | windows | Δ full bar: median / worst | Δ cheap bar: median / worst | intermittent Δ full: median / worst | intermittent Δ cheap: median / worst | WAPE pooled (bar) | bias | P10–P90 coverage | Δ full bar without pooled trees: median / worst |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    const s = summariseHalf(r, "test");
    const previous = summariseHalf(r, "test", "optiflow", SLOW_REFERENCES);
    lines.push(
      `| ${r.set} | ${r.series} (${r.sampleSize}) | ${s.windows} | ${signedPct(median(s.deltaSample))} / ${signedPct(worst(s.deltaSample))} | ${signedPct(median(s.deltaAll))} / ${signedPct(worst(s.deltaAll))} | ${signedPct(median(s.deltaIntermittentSample))} / ${signedPct(worst(s.deltaIntermittentSample))} | ${signedPct(median(s.deltaIntermittentAll))} / ${signedPct(worst(s.deltaIntermittentAll))} | ${pct(s.wape)} (${pct(s.barWapeAll)}) | ${signedPct(s.bias)} | ${pct(s.coverage)} | ${signedPct(median(previous.deltaSample))} / ${signedPct(worst(previous.deltaSample))} |`,
    );
  }
  lines.push("");
  return lines;
}

const OPTIFLOW = "optiflow";

/** Optiflow and the full bar's models that ran on some test window of the results. */
function modelsOfTestHalf(results: readonly RollingResult[]): string[] {
  return [OPTIFLOW, ...CHEAP_REFERENCES, ...FULL_BAR_REFERENCES].filter((m) =>
    results.some((r) => r.windows.some((w) => w.half === "test" && w.models[m])),
  );
}

/**
 * How hard the full bar is: each model's Δ against the best of the *other* models of the full bar,
 * per window on the sample (test half, windows where the slow references ran). The bar is chosen
 * after the fact among up to seven references; this shows what the best single models score
 * against it, so that Optiflow's Δ can be read beside theirs. Optiflow is never part of the bar.
 */
export function barHardnessTable(results: readonly RollingResult[]): string[] {
  const ran = modelsOfTestHalf(results);
  if (!ran.some((m) => FULL_BAR_REFERENCES.includes(m))) return [];
  const lines = [
    "## How hard the full bar is (test half)",
    "",
    "The full bar is the best of up to seven references, chosen per window after the fact. Each column is one model's Δ against the best of the *other* models of the full bar (weekly WAPE on the sample, per window: median / worst), on the windows where the slow references ran; Optiflow's column is the first table's \"Δ full bar\".",
    "",
    `| set | ${ran.join(" | ")} |`,
    `|---|${ran.map(() => "---:").join("|")}|`,
  ];
  for (const r of results) {
    const cells = ran.map((m) => {
      const deltas = deltasAgainstOthers(r, m);
      return deltas.length > 0 ? `${signedPct(median(deltas))} / ${signedPct(worst(deltas))}` : "–";
    });
    lines.push(`| ${r.set} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  return lines;
}

/** Per test window with the slow references: `model`'s sample WAPE / the best other's − 1. */
export function deltasAgainstOthers(result: RollingResult, model: string): number[] {
  const deltas: number[] = [];
  for (const w of result.windows) {
    const own = w.models[model];
    if (w.half !== "test" || !own || !FULL_BAR_REFERENCES.some((m) => w.models[m])) continue;
    const bar = best(barModels(w.models, FULL_BAR_REFERENCES, model), (m) =>
      wapeOf(w.models[m]!.sample),
    );
    if (!bar) continue;
    const delta = wapeOf(own.sample) / wapeOf(w.models[bar]!.sample) - 1;
    if (Number.isFinite(delta)) deltas.push(delta);
  }
  return deltas;
}

/**
 * Each model's weekly WAPE pooled over the test half (Σ error / Σ actual over its windows): on the
 * sample, where every model of the full bar ran (the windows where the slow references ran); on
 * every series and on the intermittent ones, for the models that run on every series. No bar is
 * chosen after the fact here: it says which single model errs least over the whole half.
 */
export function pooledErrorTable(results: readonly RollingResult[]): string[] {
  const ran = modelsOfTestHalf(results);
  if (!ran.some((m) => FULL_BAR_REFERENCES.includes(m))) return [];
  const lines = [
    "## Each model's error over the whole test half",
    "",
    "Weekly WAPE pooled over the test windows (Σ |F − A| / Σ A), per model: on the sample, then in brackets on every series and on its intermittent ones (the slow references run on the sample only). Unlike the Δ above, no model is picked per window after the fact; the last column names the model with the lowest error on the sample.",
    "",
    `| set | ${ran.join(" | ")} | lowest on the sample |`,
    `|---|${ran.map(() => "---:").join("|")}|---|`,
  ];
  for (const r of results) {
    const errors = new Map(ran.map((m) => [m, pooledErrors(r, m)]));
    const lowest = best(ran, (m) => errors.get(m)?.sample ?? Number.NaN);
    const cells = [...errors.values()].map((e) =>
      Number.isFinite(e.all)
        ? `${pct(e.sample)} (${pct(e.all)} · ${pct(e.intermittent)})`
        : pct(e.sample),
    );
    lines.push(`| ${r.set} | ${cells.join(" | ")} | ${lowest ?? "–"} |`);
  }
  lines.push("");
  return lines;
}

/**
 * One model's pooled weekly WAPE over the test half: on the sample over the windows where the
 * slow references ran (NaN unless it ran on each of them, so that every model pools the same
 * weeks), and on every series and its intermittent ones over the test windows (NaN for the slow
 * references, which run on the sample only, and for a model missing from any test window).
 */
export function pooledErrors(
  result: RollingResult,
  model: string,
): { sample: number; all: number; intermittent: number } {
  const test = result.windows.filter((w) => w.half === "test");
  const slow = test.filter((w) => FULL_BAR_REFERENCES.some((m) => w.models[m]));
  const sums = (windows: typeof test, part: "sample" | "all" | "intermittent") =>
    windows.length > 0 && windows.every((w) => w.models[model])
      ? wapeOf(pooled(windows.map((w) => w.models[model]![part])))
      : Number.NaN;
  const everySeries = !SLOW_REFERENCES.includes(model);
  return {
    sample: sums(slow, "sample"),
    all: everySeries ? sums(test, "all") : Number.NaN,
    intermittent: everySeries ? sums(test, "intermittent") : Number.NaN,
  };
}

/** augurs Prophet's configurations (the faster one is the speed target's reference). */
const AUGURS_PROPHET = SLOW_REFERENCES.filter((m) => m.startsWith("augurs_prophet"));

/** Optiflow's time per series and window, and augurs Prophet's (its faster configuration). */
function speedOf(r: RollingResult) {
  const nights = SELECTION_SERVES_DAYS;
  const select = r.msPerSeries.optiflow ?? Number.NaN;
  const refit = r.msPerSeries[REFIT_NIGHT] ?? Number.NaN;
  const timed = AUGURS_PROPHET.flatMap((m) => r.msPerSeries[m] ?? []);
  return {
    select,
    refit,
    mean: (select + (nights - 1) * refit) / nights,
    prophet: timed.length > 0 ? Math.min(...timed) : Number.NaN,
  };
}

/**
 * Time per series against augurs Prophet, same run: on a night that selects (what every window
 * of the bench runs), on a night that reuses the selection, and over the nights one selection
 * serves (SELECTION_SERVES_DAYS: one selecting, the others refitting), which is what the batch
 * spends per series and night.
 */
export function speedTable(results: readonly RollingResult[]): string[] {
  const nights = SELECTION_SERVES_DAYS;
  const lines = [
    "## Speed per series (every window of the run)",
    "",
    `Fit and forecast time per series and window, one thread. Optiflow on a *selection night* runs its whole pipeline (every candidate scored on the selection windows, the pooled model fitted); on a *refit night* it refits each series' choice at the origin and scores nothing; a selection serves ${nights} nights, so a night costs on average (selection + ${nights - 1} × refit) / ${nights}. augurs Prophet: its faster configuration in this run, on the sample's test windows.`,
    "",
    "| set | Optiflow: selection night | refit night | mean over a selection's nights | augurs Prophet | times faster: selection night / refit night / mean night |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    const { select, refit, mean, prophet } = speedOf(r);
    const ratio = (ms: number) =>
      Number.isFinite(prophet / ms) ? `${(prophet / ms).toFixed(0)}×` : "–";
    const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : "–");
    lines.push(
      `| ${r.set} | ${ms(select)} | ${ms(refit)} | ${ms(mean)} | ${ms(prophet)} | ${ratio(select)} / ${ratio(refit)} / ${ratio(mean)} |`,
    );
  }
  lines.push("");
  return lines;
}

/**
 * Issue 13's per-set targets, each said met or not with its figure, so that what does not work
 * is read from the run itself rather than from prose written after an earlier one.
 */
export function targetsTable(results: readonly RollingResult[]): string[] {
  const lines = [
    "## Against issue 13's targets (test half)",
    "",
    "Each cell: whether the target is met, and this run's figure (from the tables below). Δ is against the full bar, per window; the speed, on a selection night (Optiflow's most costly night; refit and mean nights in \"Speed per series\"). The scale and displayed-precision targets are in their own sections.",
    "",
    "| set | median Δ ≤ −10% | worst Δ ≤ +5% | intermittent median Δ ≤ −5% | P10–P90 coverage 80% ± 5 | ≥ 100× faster than augurs Prophet | met |",
    "|---|---|---|---|---|---|---:|",
  ];
  for (const r of results) {
    const s = summariseHalf(r, "test");
    const { select, prophet } = speedOf(r);
    const cells = [
      target(median(s.deltaSample), (v) => v <= -0.1, signedPct),
      target(worst(s.deltaSample), (v) => v <= 0.05, signedPct),
      target(median(s.deltaIntermittentSample), (v) => v <= -0.05, signedPct),
      target(s.coverage, (v) => Math.abs(v - 0.8) <= 0.05, pct),
      target(
        prophet / select,
        (v) => v >= 100,
        (v) => `${v.toFixed(0)}×`,
      ),
    ];
    const judged = cells.filter((c) => c.met !== null);
    const met = judged.filter((c) => c.met).length;
    lines.push(
      `| ${r.set} | ${cells.map((c) => c.text).join(" | ")} | ${met} of ${judged.length} |`,
    );
  }
  lines.push("");
  return lines;
}

/** A target's cell: null when the run has no figure for it (no slow references, no series). */
function target(
  value: number,
  isMet: (v: number) => boolean,
  format: (v: number) => string,
): { met: boolean | null; text: string } {
  if (!Number.isFinite(value)) return { met: null, text: "–" };
  const met = isMet(value);
  return { met, text: `${met ? "met" : "**not met**"} (${format(value)})` };
}

/** Per set, the windows one by one (test half): what the medians summarise, worst cases included. */
export function windowTables(results: readonly RollingResult[], optiflow = "optiflow"): string[] {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`### ${r.set}: ${r.description}`, "");
    const models = [
      optiflow,
      ...CHEAP_REFERENCES,
      ...FULL_BAR_REFERENCES.filter((m) => r.windows.some((w) => w.models[m])),
    ];
    lines.push(
      `| window (test) | ${models.map((m) => `${m} all`).join(" | ")} | ${models.map((m) => `${m} sample`).join(" | ")} |`,
      `|---|${models.map(() => "---:").join("|")}|${models.map(() => "---:").join("|")}|`,
    );
    for (const w of r.windows.filter((x) => x.half === "test")) {
      const all = models.map((m) =>
        w.models[m] && !SLOW_REFERENCES.includes(m) ? pct(wapeOf(w.models[m].all)) : "–",
      );
      const sample = models.map((m) => (w.models[m] ? pct(wapeOf(w.models[m].sample)) : "–"));
      lines.push(`| ${w.date} | ${all.join(" | ")} | ${sample.join(" | ")} |`);
    }
    const ms = Object.entries(r.msPerSeries)
      .map(([m, v]) => `${m} ${v.toFixed(2)} ms`)
      .join(", ");
    const failed = Object.entries(r.referenceFailures)
      .filter(([, n]) => n > 0)
      .map(([m, n]) => `${m} ${n}`)
      .join(", ");
    lines.push(
      "",
      `Time per series and window: ${ms}.${failed ? ` Forecasts replaced by the last 28 days' mean (augurs: a failed fit; the pooled trees: a series with nothing known in its last year, which they have no level for): ${failed}.` : ""}`,
      "",
    );
  }
  return lines;
}

/**
 * Design choices: each variant of the pipeline against the default, on the tuning half (where
 * it was decided) and the test half (where it must agree).
 */
export function designTable(
  results: readonly RollingResult[],
  variants: readonly string[],
): string[] {
  if (variants.length <= 1) return [];
  const lines = [
    "## Design choices: tuning half and test half",
    "",
    "Each row is a variant of the pipeline (`bench/pipeline-variants.ts`). Median Δ against the cheap bar on all series (pooled WAPE, pooled WAPE on the intermittent series, P10–P90 coverage), per set, on the tuning half | the test half. A choice stays in the default only if the test half agrees with the tuning half.",
    "",
    `| variant | ${results.map((r) => r.set).join(" | ")} |`,
    `|---|${results.map(() => "---").join("|")}|`,
  ];
  for (const v of variants) {
    const cells = results.map((r) => {
      const tuning = summariseHalf(r, "tuning", v);
      const test = summariseHalf(r, "test", v);
      const cell = (h: typeof tuning) =>
        `${signedPct(median(h.deltaAll))} (${pct(h.wape)}, ${pct(h.wapeIntermittent)}, ${pct(h.coverage)})`;
      return `${cell(tuning)} \\| ${cell(test)}`;
    });
    lines.push(`| ${v} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  return lines;
}
