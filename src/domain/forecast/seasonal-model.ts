import { solveSymmetric } from "./cholesky.js";
import { applyClosedDays, type SeriesInput } from "./model-input.js";
import { addOuter, seasonalDesignFor } from "./seasonal-design.js";

/**
 * The Prophet-like model (SPEC §5): on the log1p scale suited to counts, a ridge regression on
 * trend with changepoints, weekday and yearly terms, event windows and the promotion discount,
 * solved in closed form. Censored and closed days are left out of the fit, not read as zeros.
 * Coefficients are shrunk toward a prior (the category's pooled effects) rather than toward zero
 * when one is given, so a series with little data borrows what its category shows.
 *
 * The forecast is expm1 of the linear predictor: the median on the count scale, as Prophet on
 * log data gives. A smearing back-transform (the mean) was measured worse on weekly WAPE on
 * every data set of the bench, and so were a recent-residual level correction and a stronger
 * yearly smoothing (order 4): see bench/RESULTS.md.
 */
export interface SeasonalFit {
  columns: readonly string[];
  coefficients: Float64Array;
  observations: number;
}

const DISCOUNT_COLUMN = "discount";
const DISCOUNT_PENALTY = 4;
const MIN_OBSERVATIONS = 28;

export function fitSeasonalModel(
  input: SeriesInput,
  origin: number,
  prior?: ReadonlyMap<string, number>,
): SeasonalFit | null {
  const design = seasonalDesignFor(input.calendar, origin);
  const p = design.columns.length;
  const q = p + 1; // + the series' own discount column
  const { rows, weights } = design;
  const open = input.calendar.open;
  const end = Math.min(origin, input.calendar.length);

  let included = 0;
  let excluded = 0;
  for (let i = 0; i < end; i++) {
    if (open[i] !== 1) continue;
    if (Number.isFinite(input.sales[i] as number)) included++;
    else excluded++;
  }
  if (included < MIN_OBSERVATIONS) return null;

  // Calendar block of the Gram matrix: the shared one minus the unusable rows, or rebuilt
  // from the usable rows when those are the minority (a new article).
  const calendarGram = new Float64Array(p * p);
  if (excluded <= included) {
    calendarGram.set(design.gram);
    for (let i = 0; i < end; i++) {
      if (open[i] === 1 && !Number.isFinite(input.sales[i] as number))
        addOuter(calendarGram, rows, i * p, p, -(weights[i] as number));
    }
  } else {
    for (let i = 0; i < end; i++) {
      if (open[i] === 1 && Number.isFinite(input.sales[i] as number))
        addOuter(calendarGram, rows, i * p, p, weights[i] as number);
    }
  }

  // Lower triangles only, here as in the calendar Gram: all the Cholesky solver reads.
  const gram = new Float64Array(q * q);
  for (let a = 0; a < p; a++)
    for (let b = 0; b <= a; b++) gram[a * q + b] = calendarGram[a * p + b] as number;
  const rhs = new Float64Array(q);
  for (let i = 0; i < end; i++) {
    const y = input.sales[i] as number;
    if (open[i] !== 1 || !Number.isFinite(y)) continue;
    const w = weights[i] as number;
    const logY = Math.log1p(Math.max(0, y));
    const o = i * p;
    const c = w * logY;
    for (let a = 0; a < p; a++) rhs[a] = (rhs[a] as number) + c * (rows[o + a] as number);
    const d = input.discount[i] as number;
    if (d !== 0) {
      const wd = w * d;
      for (let a = 0; a < p; a++)
        gram[p * q + a] = (gram[p * q + a] as number) + wd * (rows[o + a] as number);
      gram[p * q + p] = (gram[p * q + p] as number) + wd * d;
      rhs[p] = (rhs[p] as number) + wd * logY;
    }
  }

  const names = [...design.columns.map((c) => c.name), DISCOUNT_COLUMN];
  const penalties = [...design.columns.map((c) => c.penalty), DISCOUNT_PENALTY];
  for (let a = 0; a < q; a++) {
    const lambda = penalties[a] as number;
    gram[a * q + a] = (gram[a * q + a] as number) + lambda + 1e-9;
    const target = prior?.get(names[a] as string);
    if (target !== undefined) rhs[a] = (rhs[a] as number) + lambda * target;
  }
  const coefficients = solveSymmetric(gram, rhs, q);

  return { columns: names, coefficients, observations: included };
}

function linearPredictor(
  beta: Float64Array,
  rows: Float64Array,
  offset: number,
  p: number,
  discount: number,
): number {
  let sum = (beta[p] as number) * discount;
  for (let a = 0; a < p; a++) sum += (beta[a] as number) * (rows[offset + a] as number);
  return sum;
}

export function predictSeasonal(
  fit: SeasonalFit,
  input: SeriesInput,
  origin: number,
  horizon: number,
): Float64Array {
  const design = seasonalDesignFor(input.calendar, origin);
  const p = design.columns.length;
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    const i = origin + h;
    if (i >= input.calendar.length) break;
    const eta = linearPredictor(
      fit.coefficients,
      design.rows,
      i * p,
      p,
      input.discount[i] as number,
    );
    out[h] = Math.max(0, Math.expm1(Math.min(eta, 20)));
  }
  return applyClosedDays(out, input.calendar, origin);
}
