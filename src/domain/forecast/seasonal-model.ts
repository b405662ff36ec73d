import { borderedSolver, choleskyFactor } from "./cholesky.js";
import { applyClosedDays, type SeriesInput } from "./model-input.js";
import {
  addOuter,
  type ColumnShape,
  type ColumnSpec,
  calendarFactor,
  type OriginDesign,
  originDesign,
  prefixGram,
  RIDGE_JITTER,
  SEASONAL_SPEC,
  type SeasonalDesign,
  type SeasonalSpec,
  seasonalDesignFor,
} from "./seasonal-design.js";

/**
 * The Prophet-like model (SPEC §5): on the log1p scale suited to counts, a ridge regression on
 * trend with changepoints, weekday and yearly terms, event windows and the promotion discount,
 * solved in closed form. Censored and closed days are left out of the fit, not read as zeros.
 * Coefficients are shrunk toward a prior (the category's pooled effects) rather than toward zero
 * when one is given, so a series with little data borrows what its category shows.
 *
 * The forecast is expm1 of the linear predictor: the median on the count scale, as Prophet on
 * log data gives; the store's calibration (calibration.ts) then scales it per demand class. A
 * smearing back-transform (the mean) was measured worse on the tuning half of four sets of five
 * (docs/FORECASTING.md); a recent-residual level correction and a stronger yearly smoothing
 * (order 4) were measured worse before the bench had halves.
 */
export interface SeasonalFit {
  columns: readonly string[];
  /** The design columns the coefficients apply to (the discount is the last coefficient). */
  columnIndex: Int32Array;
  coefficients: Float64Array;
  observations: number;
  design: SeasonalDesign;
  /**
   * For a mean forecast (`SeasonalSpec.backTransform`), what multiplies 1 + the median: the
   * weighted mean of exp(residual) over the fit's days (Duan's smearing). Absent: the median.
   */
  smear?: number;
}

export type PriorAt = (origin: number) => ReadonlyMap<string, number> | undefined;

const DISCOUNT_COLUMN = "discount";
/** The promotion effect's default penalty (its column is the discount, 0..1). */
export const DISCOUNT_PENALTY = 4;
const MIN_OBSERVATIONS = 28;
/** Most daily sales are small counts: a table spares a libm call per day of every series. */
const LOG1P_OF_COUNTS = Float64Array.from({ length: 1024 }, (_, k) => Math.log1p(k));

export function fitSeasonalModel(
  input: SeriesInput,
  origin: number,
  prior?: ReadonlyMap<string, number>,
): SeasonalFit | null {
  return fitSeasonalModels(input, [origin], () => prior)[0] ?? null;
}

/**
 * What one series contributes to its fits, as prefix sums up to each origin (ascending):
 * X'Wy and the discount column's products. The Gram rows it cannot use come day by day
 * (eachOwnGram), each origin solved as the walk reaches it.
 */
interface SeriesSums {
  rhs: Float64Array[];
  /** Σ v·d·x per origin (the discount column against the calendar's). */
  cross: Float64Array[] | null;
  discountSquares: Float64Array;
  discountRhs: Float64Array;
  /** Whether the series' own rows are subtracted from the store's Gram (or used alone). */
  subtract: boolean;
  included: Int32Array;
}

/**
 * Fits the model at several origins of one series in one pass over its history: the backtest
 * origins and the final one share the design of the latest (see seasonal-design.ts).
 */
export function fitSeasonalModels(
  input: SeriesInput,
  origins: readonly number[],
  priorAt: PriorAt,
): (SeasonalFit | null)[] {
  return fitSeasonalModelVariants(input, origins, priorAt, [DISCOUNT_PENALTY])[0] ?? [];
}

/**
 * The same fits for several penalties of the promotion effect, indexed [penalty][origin]: every
 * sum and factorisation is shared, each penalty costs one bordered solve per origin.
 */
export function fitSeasonalModelVariants(
  input: SeriesInput,
  origins: readonly number[],
  priorAt: PriorAt,
  discountPenalties: readonly number[],
  seasonal: SeasonalSpec = SEASONAL_SPEC,
): (SeasonalFit | null)[][] {
  const none = discountPenalties.map(() => origins.map(() => null));
  if (origins.length === 0) return none;
  const anchor = Math.max(...origins);
  const design = seasonalDesignFor(input.calendar, anchor, seasonal);
  const sorted = [...new Set(origins)].sort((a, b) => a - b);
  const ends = sorted.map((o) => Math.max(0, Math.min(o, design.historyLength)));
  const sums = seriesSums(input, design, ends);
  const fits = new Map<number, SeasonalFit[] | null>();
  eachOwnGram(input, design, ends, sums.subtract, (k, own) => {
    const origin = sorted[k] as number;
    const at = originDesign(design, input.calendar, origin);
    fits.set(
      origin,
      (sums.included[k] as number) < MIN_OBSERVATIONS
        ? null
        : solveAt(design, at, sums, k, own, priorAt(origin), discountPenalties),
    );
  });
  if (seasonal.backTransform === "mean")
    for (const [origin, list] of fits) for (const fit of list ?? []) smearFit(fit, input, origin);
  return discountPenalties.map((_, v) => origins.map((o) => fits.get(o)?.[v] ?? null));
}

/** Duan's smearing factor of a fit: the weighted mean of exp(residual) over its usable days. */
function smearFit(fit: SeasonalFit, input: SeriesInput, origin: number): void {
  const { rows, columns, weights } = fit.design;
  const p = columns.length;
  const beta = fit.coefficients;
  const index = fit.columnIndex;
  const m = index.length;
  let sum = 0;
  let total = 0;
  const end = Math.min(origin, fit.design.historyLength);
  for (let i = 0; i < end; i++) {
    const y = input.sales[i] as number;
    if (input.calendar.open[i] !== 1 || !Number.isFinite(y)) continue;
    let eta = (beta[m] as number) * (input.discount[i] as number);
    for (let a = 0; a < m; a++)
      eta += (beta[a] as number) * (rows[i * p + (index[a] as number)] as number);
    const w = weights[i] as number;
    sum += w * Math.exp(Math.log1p(Math.max(y, 0)) - eta);
    total += w;
  }
  fit.smear = total > 0 ? sum / total : 1;
}

function seriesSums(
  input: SeriesInput,
  design: SeasonalDesign,
  ends: readonly number[],
): SeriesSums {
  const weighted = weightedHistory(input, design, ends);
  return {
    rhs: columnSums(design, weighted.logY, ends),
    cross: weighted.hasDiscount ? columnSums(design, weighted.vd, ends) : null,
    discountSquares: weighted.discountSquares,
    discountRhs: weighted.discountRhs,
    subtract: weighted.unusable <= weighted.usable,
    included: weighted.included,
  };
}

/**
 * The series' weighted log sales and discounts over the history (0 where a day is unusable),
 * and, up to each end, its count of usable days and the discount column's own sums.
 */
function weightedHistory(input: SeriesInput, design: SeasonalDesign, ends: readonly number[]) {
  const n = design.historyLength;
  const open = input.calendar.open;
  const weights = design.weights;
  const logY = new Float64Array(n);
  const vd = new Float64Array(n);
  const included = new Int32Array(ends.length);
  const discountSquares = new Float64Array(ends.length);
  const discountRhs = new Float64Array(ends.length);
  let hasDiscount = false;
  let usable = 0;
  let unusable = 0;
  let k = 0;
  let dd = 0;
  let dy = 0;
  for (let i = 0; i <= n; i++) {
    while (k < ends.length && ends[k] === i) {
      included[k] = usable;
      discountSquares[k] = dd;
      discountRhs[k] = dy;
      k++;
    }
    if (i === n) break;
    if (open[i] !== 1) continue;
    const y = input.sales[i] as number;
    if (!Number.isFinite(y)) {
      unusable++;
      continue;
    }
    usable++;
    const v = weights[i] as number;
    const ly =
      y >= 0 && y < LOG1P_OF_COUNTS.length && (y | 0) === y
        ? (LOG1P_OF_COUNTS[y] as number)
        : Math.log1p(Math.max(y, 0));
    logY[i] = v * ly;
    const d = input.discount[i] as number;
    if (d !== 0) {
      hasDiscount = true;
      vd[i] = v * d;
      dd += v * d * d;
      dy += v * d * ly;
    }
  }
  return {
    logY,
    vd,
    hasDiscount,
    usable,
    unusable,
    included,
    discountSquares,
    discountRhs,
  };
}

/**
 * Rows that change the calendar's Gram matrix, summed up to each end (ascending) and handed to
 * `visit` as the walk reaches it: the unusable ones, to subtract, or (for a series mostly
 * unknown, like a new article) the usable ones, summed from zero; null while there is none yet.
 * The sum is the walk's own and keeps growing after `visit` returns: read it, do not keep it.
 * (Each end used to keep a copy, 16 KB a time, five per series on a selection night.)
 */
function eachOwnGram(
  input: SeriesInput,
  design: SeasonalDesign,
  ends: readonly number[],
  subtract: boolean,
  visit: (k: number, gram: Float64Array | null) => void,
): void {
  const n = design.historyLength;
  const p = design.columns.length;
  const open = input.calendar.open;
  let accumulated: Float64Array | null = subtract ? null : new Float64Array(p * p);
  // The days before the article was listed are all unknown: their rows are the calendar's own,
  // summed once for the store (prefixGram), not again for each series.
  const skip = subtract ? Math.min(unknownLead(input, n), ends[0] ?? 0) : 0;
  if (skip > 0) accumulated = prefixGram(design, input.calendar, skip);
  let e = 0;
  for (let i = skip; i <= n && e < ends.length; i++) {
    while (e < ends.length && ends[e] === i) visit(e++, accumulated);
    if (i === n || open[i] !== 1) continue;
    const known = Number.isFinite(input.sales[i] as number);
    if (known === subtract) continue;
    accumulated ??= new Float64Array(p * p);
    addOuter(accumulated, design.rows, i * p, p, design.weights[i] as number);
  }
}

/** Days from the first on that are closed or unknown: none of them is a usable observation. */
function unknownLead(input: SeriesInput, n: number): number {
  let i = 0;
  while (i < n && (input.calendar.open[i] !== 1 || !Number.isFinite(input.sales[i] as number))) i++;
  return i;
}

/** Σ x·c over [0, end) for every column and each end (ascending), by column shape. */
function columnSums(
  design: SeasonalDesign,
  c: Float64Array,
  ends: readonly number[],
): Float64Array[] {
  const n = c.length;
  // Prefix sums of c and of i·c: a ramp's sum over a range is a difference of these.
  const s0 = new Float64Array(n + 1);
  const s1 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = c[i] as number;
    s0[i + 1] = (s0[i] as number) + v;
    s1[i + 1] = (s1[i] as number) + i * v;
  }
  // Plain loops with locals: closures capturing the running sums were several times slower.
  const out = ends.map(() => new Float64Array(design.shapes.length));
  for (let a = 0; a < design.shapes.length; a++) {
    const shape = design.shapes[a] as ColumnShape;
    if (shape.kind === "dense") continue;
    let i = 0;
    let sum = 0;
    for (let e = 0; e < ends.length; e++) {
      const end = ends[e] as number;
      if (shape.kind === "constant") sum = s0[end] as number;
      else if (shape.kind === "ramp") {
        const lo = Math.min(shape.start, end);
        const sum0 = (s0[end] as number) - (s0[lo] as number);
        const sum1 = (s1[end] as number) - (s1[lo] as number);
        sum = (sum1 - shape.from * sum0) / 365;
      } else {
        const ones = shape.ones;
        for (; i < ones.length && (ones[i] as number) < end; i++)
          sum += c[ones[i] as number] as number;
      }
      (out[e] as Float64Array)[a] = sum;
    }
  }
  denseColumnSums(design, c, ends, out);
  return out;
}

/**
 * The dense columns' sums, day by day over the days where c is not zero (most days of a slow
 * seller, nearly every day of the discount column): each column still adds its terms in day
 * order, so the sums are the same to the bit as a pass over every day.
 */
function denseColumnSums(
  design: SeasonalDesign,
  c: Float64Array,
  ends: readonly number[],
  out: Float64Array[],
): void {
  const dense = design.denseColumns;
  const p = design.columns.length;
  const rows = design.rows;
  // Four columns at a time in local sums: V8 keeps them in registers, not in an array.
  for (let k = 0; k < dense.length; k += 4) {
    const c0 = dense[k] as number;
    const c1 = k + 1 < dense.length ? (dense[k + 1] as number) : -1;
    const c2 = k + 2 < dense.length ? (dense[k + 2] as number) : -1;
    const c3 = k + 3 < dense.length ? (dense[k + 3] as number) : -1;
    // A missing column reads column c0 again, into a sum that is never stored.
    const r1 = c1 < 0 ? c0 : c1;
    const r2 = c2 < 0 ? c0 : c2;
    const r3 = c3 < 0 ? c0 : c3;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let i = 0;
    for (let e = 0; e < ends.length; e++) {
      const end = ends[e] as number;
      for (; i < end; i++) {
        const v = c[i] as number;
        if (v === 0) continue;
        const offset = i * p;
        a0 += (rows[offset + c0] as number) * v;
        a1 += (rows[offset + r1] as number) * v;
        a2 += (rows[offset + r2] as number) * v;
        a3 += (rows[offset + r3] as number) * v;
      }
      const target = out[e] as Float64Array;
      target[c0] = a0;
      if (c1 >= 0) target[c1] = a1;
      if (c2 >= 0) target[c2] = a2;
      if (c3 >= 0) target[c3] = a3;
    }
  }
}

/** The fits at origin k, one per discount penalty: all share the factor of the calendar block. */
function solveAt(
  design: SeasonalDesign,
  at: OriginDesign,
  sums: SeriesSums,
  k: number,
  own: Float64Array | null,
  prior: ReadonlyMap<string, number> | undefined,
  discountPenalties: readonly number[],
): SeasonalFit[] {
  const { active, weightScale: scale } = at;
  const m = active.length;
  const rhs = new Float64Array(m);
  const seriesRhs = sums.rhs[k] as Float64Array;
  for (let a = 0; a < m; a++) {
    const spec = design.columns[active[a] as number] as ColumnSpec;
    const target = prior?.get(spec.name);
    rhs[a] = scale * (seriesRhs[active[a] as number] as number) + spec.penalty * (target ?? 0);
  }
  const discountTarget = prior?.get(DISCOUNT_COLUMN) ?? 0;
  const seriesCross = sums.cross?.[k];
  // Without promotions the border is zero (null): its solve is skipped.
  let cross: Float64Array | null = null;
  if (seriesCross) {
    cross = new Float64Array(m);
    for (let a = 0; a < m; a++) cross[a] = scale * (seriesCross[active[a] as number] as number);
  }

  // A series that used every open day shares the store's calendar block, factorised once;
  // another factorises its own. The discount column borders it: one solve per penalty.
  const factor =
    own === null
      ? calendarFactor(design, at)
      : choleskyFactor(seriesGram(design, at, own, sums.subtract), m);
  const solve = borderedSolver(factor, m, cross, rhs);
  const columns = fitColumns(design, at);
  return discountPenalties.map((penalty) => ({
    columns,
    columnIndex: active,
    coefficients: solve(
      scale * (sums.discountSquares[k] as number) + penalty + RIDGE_JITTER,
      scale * (sums.discountRhs[k] as number) + penalty * discountTarget,
    ),
    observations: sums.included[k] as number,
    design,
  }));
}

/** The names of an origin's fitted coefficients, built once per origin design: fits share them. */
const columnNames = new WeakMap<OriginDesign, readonly string[]>();

function fitColumns(design: SeasonalDesign, at: OriginDesign): readonly string[] {
  let names = columnNames.get(at);
  if (!names) {
    names = [
      ...Array.from(at.active, (c) => (design.columns[c] as ColumnSpec).name),
      DISCOUNT_COLUMN,
    ];
    columnNames.set(at, names);
  }
  return names;
}

/**
 * The penalised calendar block of a series with rows of its own: the store's block less them
 * (`subtract`), or them alone. One loop per case: the choice is not made again for each entry.
 */
function seriesGram(
  design: SeasonalDesign,
  at: OriginDesign,
  own: Float64Array,
  subtract: boolean,
): Float64Array {
  const p = design.columns.length;
  const { active, weightScale: scale } = at;
  const m = active.length;
  const base = at.gram;
  const gram = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    const ra = (active[a] as number) * p;
    const row = a * m;
    if (subtract)
      for (let b = 0; b <= a; b++) {
        const index = ra + (active[b] as number);
        gram[row + b] = scale * ((base[index] as number) - (own[index] as number));
      }
    else
      for (let b = 0; b <= a; b++)
        gram[row + b] = scale * (own[ra + (active[b] as number)] as number);
    const spec = design.columns[active[a] as number] as ColumnSpec;
    gram[row + a] = (gram[row + a] as number) + spec.penalty + RIDGE_JITTER;
  }
  return gram;
}

export function predictSeasonal(
  fit: SeasonalFit,
  input: SeriesInput,
  origin: number,
  horizon: number,
): Float64Array {
  const { rows, columns } = fit.design;
  const p = columns.length;
  const beta = fit.coefficients;
  const index = fit.columnIndex;
  const m = index.length;
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    const i = origin + h;
    if (i >= input.calendar.length) break;
    const offset = i * p;
    let eta = (beta[m] as number) * (input.discount[i] as number);
    for (let a = 0; a < m; a++)
      eta += (beta[a] as number) * (rows[offset + (index[a] as number)] as number);
    out[h] =
      fit.smear === undefined
        ? Math.max(0, Math.expm1(Math.min(eta, 20)))
        : Math.max(0, Math.exp(Math.min(eta, 20)) * fit.smear - 1);
  }
  return applyClosedDays(out, input.calendar, origin);
}
