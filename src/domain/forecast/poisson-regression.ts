import { backwardSolveInPlace, choleskyFactor, forwardSolve } from "./cholesky.js";

/**
 * Ridge-penalised Poisson regression with a log link (the pooled model's fit, pooled-model.ts):
 * Newton–Raphson on standardised columns (the intercept is not penalised), with step halving
 * whenever a step would lower the likelihood — log-link fits diverge on sparse counts otherwise.
 *
 * The rows are read in their raw, sparse form: most of a row's features are 0 (the weekday's
 * indicators, events, promotions, a smooth series' intermittency terms), and centring them would
 * make every one count. The sums over the rows are taken on the raw values and turned into the
 * standardised ones afterwards, which is exact: x̃ = (x − c)/s is linear in x.
 */
export interface RegressionSpec {
  ridge: number;
  iterations: number;
  /**
   * Newton's steps are taken on a sample of this many rows, then finished on every row without
   * a new Hessian; 0: every step on every row. The same optimum either way.
   */
  warmStartRows: number;
  /**
   * The loss: 1 (or absent), Poisson's; between 1 and 2, Tweedie's deviance of that power (the M5
   * winners' loss), whose gradient is Poisson's times μ^(1−power): more weight on slow rows.
   */
  tweediePower?: number;
}

const EPS = 0.02;

/** The rows' non-zero features past the intercept (compressed sparse rows). */
interface SparseRows {
  n: number;
  p: number;
  start: Int32Array;
  column: Uint16Array;
  value: Float64Array;
  y: Float64Array;
}

/** How every column is standardised: x̃ = (x − center) / scale; the intercept stays 1. */
interface Standardisation {
  center: Float64Array;
  scale: Float64Array;
  /** 1 for a column with the same value in every row. */
  constant: Uint8Array;
}

/**
 * Training rows as they come, kept sparse (each row's non-zero features past the intercept), with
 * each column's running sums for its standardisation: a chain's 80,000 rows of 35 features, held
 * as a dense matrix, were copied as it grew, then scanned three times before the first step.
 */
export class RegressionRows {
  n = 0;
  /** Where each row's features start in `column` and `value`; the next row's start ends it. */
  start: Int32Array;
  column: Uint16Array;
  value: Float64Array;
  y: Float64Array;
  /** Σ x and Σ x² per column, over the rows pushed so far, and how many values it stored. */
  readonly sum: Float64Array;
  readonly sq: Float64Array;
  readonly stored: Int32Array;
  private nonZero = 0;

  constructor(
    readonly p: number,
    capacity = 1024,
  ) {
    const rows = Math.max(1, capacity);
    this.start = new Int32Array(rows + 1);
    this.y = new Float64Array(rows);
    this.column = new Uint16Array(rows * 8);
    this.value = new Float64Array(rows * 8);
    this.sum = new Float64Array(p);
    this.sq = new Float64Array(p);
    this.stored = new Int32Array(p);
  }

  /** Appends a row of p values (its first, the intercept's 1, is not stored) and its target. */
  push(row: ArrayLike<number>, target: number): void {
    const p = this.p;
    if (this.n === this.y.length) {
      this.y = grown(this.y, this.y.length * 2);
      this.start = grown(this.start, this.y.length + 1);
    }
    if (this.nonZero + p > this.value.length) {
      this.value = grown(this.value, 2 * this.value.length + p);
      this.column = grown(this.column, this.value.length);
    }
    const { sum, sq, stored, column, value } = this;
    let k = this.nonZero;
    for (let a = 1; a < p; a++) {
      const v = row[a] as number;
      sum[a] = (sum[a] as number) + v;
      sq[a] = (sq[a] as number) + v * v;
      if (v === 0) continue;
      stored[a] = (stored[a] as number) + 1;
      column[k] = a;
      value[k++] = v;
    }
    this.nonZero = k;
    this.y[this.n++] = target;
    this.start[this.n] = k;
  }

  /** The rows as one dense row-major matrix (what the boosted trees read). */
  dense(): Float64Array {
    const x = new Float64Array(this.n * this.p);
    for (let r = 0; r < this.n; r++) {
      x[r * this.p] = 1;
      for (let k = this.start[r] as number; k < (this.start[r + 1] as number); k++)
        x[r * this.p + (this.column[k] as number)] = this.value[k] as number;
    }
    return x;
  }
}

/** A longer copy of a typed array, of the same type. */
function grown<T extends Float64Array | Int32Array | Uint16Array>(a: T, length: number): T {
  const b = new (a.constructor as new (length: number) => T)(length);
  b.set(a);
  return b;
}

/** Rows the regression needs per coefficient before it fits anything (fitRegression). */
const MIN_ROWS_PER_COEFFICIENT = 10;

/**
 * The coefficients (on the original columns) of the regression of `y` on the n rows of `x` (p
 * columns one row after the other, the first the intercept's 1). `x` is left as it is. Throws
 * on fewer than 10 rows per column: there is nothing to fit.
 */
export function poissonRegression(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  spec: RegressionSpec,
): Float64Array {
  const rows = new RegressionRows(p, n);
  for (let r = 0; r < n; r++) rows.push(x.subarray(r * p, (r + 1) * p), y[r] as number);
  const beta = fitRegression(rows, spec);
  if (!beta) throw new RangeError(`${n} rows for ${p} columns: too few to fit`);
  return beta;
}

/**
 * The same on rows pushed one by one (pooled-model.ts); null on fewer than 10 rows per column.
 * (It returned zeros then, which read as a fitted model forecasting exp(0) = 1 unit a day.)
 */
export function fitRegression(rows: RegressionRows, spec: RegressionSpec): Float64Array | null {
  const { n, p } = rows;
  if (n < MIN_ROWS_PER_COEFFICIENT * p) return null;
  const standard = columnStandardisation(rows);
  const beta = new Float64Array(p);
  let mean = 0;
  for (let r = 0; r < n; r++) mean += rows.y[r] as number;
  beta[0] = Math.log(mean / n + EPS);
  // Far from the optimum, Newton's steps need no more than a sample of the rows (every row costs
  // a Hessian term per pair of its features). The steps on every row then start close to it and
  // reuse the sample's Hessian, scaled up: the sample's objective is the whole one scaled down,
  // penalty included (chordSteps).
  const every = spec.warmStartRows > 0 ? Math.ceil(n / spec.warmStartRows) : 1;
  const all = sparseRows(rows, 1, standard);
  if (every > 1) {
    const sample = sparseRows(rows, every, standard);
    const ridge = (spec.ridge * sample.n) / n;
    const factor = newtonSteps(sample, standard, beta, { ...spec, ridge }, 1e-5);
    const chord = factor && { factor, scale: sample.n / n };
    // A sample too unlike the whole can leave the chord steps stuck far from the optimum (a
    // twentieth of pooled-model.test.ts's store did): Newton's steps on every row finish then.
    if (!chord || !chordSteps(all, standard, beta, spec, chord))
      newtonSteps(all, standard, beta, spec, CHORD_TOLERANCE);
  } else newtonSteps(all, standard, beta, spec, 1e-7);
  return originalCoefficients(beta, standard);
}

/** Every `every`-th row, its constant columns left out. */
function sparseRows(
  rows: RegressionRows,
  every: number,
  { constant }: Standardisation,
): SparseRows {
  // A column of zeros has nothing stored: with no other constant column, every row is read as
  // it was stored, without a copy.
  const storedConstant = constant.some((c, a) => c === 1 && (rows.stored[a] as number) > 0);
  if (every === 1 && !storedConstant) {
    const { n, p, start, column, value, y } = rows;
    return { n, p, start, column, value, y };
  }
  const m = Math.ceil(rows.n / every);
  let nonZero = 0;
  for (let r = 0; r < rows.n; r += every)
    for (let k = rows.start[r] as number; k < (rows.start[r + 1] as number); k++)
      if (constant[rows.column[k] as number] === 0) nonZero++;
  const out: SparseRows = {
    n: m,
    p: rows.p,
    start: new Int32Array(m + 1),
    column: new Uint16Array(nonZero),
    value: new Float64Array(nonZero),
    y: new Float64Array(m),
  };
  let j = 0;
  for (let r = 0, i = 0; r < rows.n; r += every, i++) {
    for (let k = rows.start[r] as number; k < (rows.start[r + 1] as number); k++) {
      const a = rows.column[k] as number;
      if (constant[a] === 1) continue;
      out.column[j] = a;
      out.value[j++] = rows.value[k] as number;
    }
    out.start[i + 1] = j;
    out.y[i] = rows.y[r] as number;
  }
  return out;
}

/**
 * Each column's mean and standard deviation over the rows. A constant column is centred on 0 and
 * left out of the rows (sparseRows): standardised, it would be 0 everywhere, and its raw sums
 * would only leave rounding behind in the standardised ones.
 */
function columnStandardisation({ n, p, sum, sq }: RegressionRows): Standardisation {
  const center = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  const constant = new Uint8Array(p);
  for (let a = 1; a < p; a++) {
    const mean = (sum[a] as number) / n;
    const sd = Math.sqrt(Math.max(0, (sq[a] as number) / n - mean * mean));
    if (sd > 1e-9) {
      center[a] = mean;
      scale[a] = sd;
    } else constant[a] = 1;
  }
  return { center, scale, constant };
}

/** β on the original columns from β̃ on the standardised ones: β̃'x̃ = β0 + Σ βa xa. */
function originalCoefficients(beta: Float64Array, { center, scale }: Standardisation) {
  const original = new Float64Array(beta.length);
  original[0] = beta[0] as number;
  for (let a = 1; a < beta.length; a++) {
    original[a] = (beta[a] as number) / (scale[a] as number);
    original[0] = (original[0] as number) - (original[a] as number) * (center[a] as number);
  }
  return original;
}

/** The objective with the ridge's penalty (not on the intercept). */
function penalised(data: number, b: Float64Array, ridge: number): number {
  let value = data;
  for (let a = 1; a < b.length; a++) value += 0.5 * ridge * (b[a] as number) ** 2;
  return value;
}

/** The penalised gradient at `b` from the data's. */
function penalisedGradient(data: Float64Array, b: Float64Array, ridge: number): Float64Array {
  const gradient = Float64Array.from(data);
  for (let a = 1; a < b.length; a++)
    gradient[a] = (gradient[a] as number) + ridge * (b[a] as number);
  return gradient;
}

/**
 * Damped Newton steps on the penalised objective over these rows, from `beta` (standardised,
 * updated); returns the factor of the last Hessian.
 */
function newtonSteps(
  rows: SparseRows,
  standard: Standardisation,
  beta: Float64Array,
  spec: RegressionSpec,
  /** Stop once a step gains less than this share of the objective. */
  tolerance: number,
): Float64Array | null {
  const p = rows.p;
  const evaluate = (b: Float64Array) =>
    penalised(objectiveAndGradient(rows, standard, b, false, power(spec)).value, b, spec.ridge);
  let current = evaluate(beta);
  let factor: Float64Array | null = null;
  for (let iteration = 0; iteration < spec.iterations; iteration++) {
    const system = newtonSystem(rows, standard, beta, power(spec));
    const gradient = penalisedGradient(system.gradient, beta, spec.ridge);
    factor = penalisedFactor(system.hessian, p, spec.ridge);
    const step = backwardSolveInPlace(factor, forwardSolve(factor, gradient, p), p);
    let t = 1;
    let next = beta.map((b, a) => b - t * (step[a] as number));
    let trial = evaluate(next);
    while (trial > current && t > 1 / 64) {
      t /= 2;
      next = beta.map((b, a) => b - t * (step[a] as number));
      trial = evaluate(next);
    }
    if (trial > current) break;
    const improvement = current - trial;
    beta.set(next);
    current = trial;
    if (improvement < tolerance * Math.abs(current)) break;
  }
  return factor;
}

/** Past steps Anderson's mixing combines (chordSteps). */
const ANDERSON_MEMORY = 5;
/** Chord steps stop once a step gains less than this share of the objective. */
const CHORD_TOLERANCE = 1e-9;

/**
 * Steps on every row that reuse the sample's Hessian factor (chord steps): each recomputes only
 * the gradient, in the pass that computes the objective, and converges to the same point from a
 * start close to it. But a chord step corrects only part of the error in the directions the
 * sample saw little of (rare events, promotions): alone they took 7 to 20 passes on the 9 Walmart
 * stores. Anderson's mixing combines the last steps into a better one, the way a secant method
 * learns the true Hessian along them; a proposal that does not lower the objective falls back to
 * the plain chord step, halved as long as needed. Returns whether the steps converged (false: a
 * step lowered nothing even halved six times, or the steps ran out).
 */
function chordSteps(
  rows: SparseRows,
  standard: Standardisation,
  beta: Float64Array,
  spec: RegressionSpec,
  chord: { factor: Float64Array; scale: number },
): boolean {
  const p = rows.p;
  const evaluate = (b: Float64Array) => {
    const at = objectiveAndGradient(rows, standard, b, true, power(spec));
    return { value: penalised(at.value, b, spec.ridge), gradient: at.gradient as Float64Array };
  };
  // The chord step from b: −scale · H⁻¹ · (penalised gradient at b).
  const chordStep = (b: Float64Array, gradient: Float64Array) => {
    const g = penalisedGradient(gradient, b, spec.ridge);
    const step = backwardSolveInPlace(chord.factor, forwardSolve(chord.factor, g, p), p);
    return step.map((v) => -chord.scale * v);
  };
  let at = evaluate(beta);
  let step = chordStep(beta, at.gradient);
  const history: { dx: Float64Array; dr: Float64Array }[] = [];
  let previous: { x: Float64Array; r: Float64Array } | null = null;
  for (let iteration = 0; iteration < 4 * spec.iterations; iteration++) {
    if (previous) {
      const { x, r } = previous;
      history.push({
        dx: beta.map((b, a) => b - (x[a] as number)),
        dr: step.map((v, a) => v - (r[a] as number)),
      });
      if (history.length > ANDERSON_MEMORY) history.shift();
    }
    let next = andersonPoint(beta, step, history);
    let trial = evaluate(next);
    if (!(trial.value < at.value)) {
      history.length = 0;
      let t = 1;
      next = beta.map((b, a) => b + (step[a] as number));
      trial = evaluate(next);
      while (trial.value > at.value && t > 1 / 64) {
        t /= 2;
        next = beta.map((b, a) => b + t * (step[a] as number));
        trial = evaluate(next);
      }
      if (trial.value > at.value) return false;
    }
    const improvement = at.value - trial.value;
    previous = { x: Float64Array.from(beta), r: step };
    beta.set(next);
    at = trial;
    step = chordStep(beta, at.gradient);
    if (improvement < CHORD_TOLERANCE * Math.abs(at.value)) return true;
  }
  return false;
}

/**
 * Anderson's mixing (type II): x + r − Σ γj (Δxj + Δrj), with γ the least-squares fit of the
 * step r by the steps' differences Δrj; the plain step x + r without history.
 */
function andersonPoint(
  x: Float64Array,
  r: Float64Array,
  history: readonly { dx: Float64Array; dr: Float64Array }[],
): Float64Array {
  const next = x.map((v, a) => v + (r[a] as number));
  const m = history.length;
  if (m === 0) return next;
  const gram = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  let trace = 0;
  for (let i = 0; i < m; i++) {
    const di = (history[i] as { dr: Float64Array }).dr;
    rhs[i] = dot(di, r);
    for (let j = 0; j <= i; j++) gram[i * m + j] = dot(di, (history[j] as { dr: Float64Array }).dr);
    trace += gram[i * m + i] as number;
  }
  // A little ridge keeps nearly parallel past steps from blowing γ up.
  for (let i = 0; i < m; i++) gram[i * m + i] = (gram[i * m + i] as number) + 1e-10 * trace;
  const l = choleskyFactor(gram, m);
  const gamma = backwardSolveInPlace(l, forwardSolve(l, rhs, m), m);
  history.forEach(({ dx, dr }, j) => {
    const g = gamma[j] as number;
    for (let a = 0; a < next.length; a++)
      next[a] = (next[a] as number) - g * ((dx[a] as number) + (dr[a] as number));
  });
  return next;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** The Cholesky factor of the Hessian plus the ridge (not on the intercept, barely on it). */
function penalisedFactor(hessian: Float64Array, p: number, ridge: number): Float64Array {
  for (let a = 1; a < p; a++) hessian[a * p + a] = (hessian[a * p + a] as number) + ridge;
  hessian[0] = (hessian[0] as number) + 1e-6;
  return choleskyFactor(hessian, p);
}

/** Row r's linear predictor, for coefficients on the raw columns. */
function rowEta(rows: SparseRows, r: number, raw: Float64Array): number {
  let eta = raw[0] as number;
  for (let k = rows.start[r] as number; k < (rows.start[r + 1] as number); k++)
    eta += (raw[rows.column[k] as number] as number) * (rows.value[k] as number);
  return eta;
}

/**
 * Σ (μ − y)·x on the raw columns (index 0: Σ (μ − y)) into the standardised gradient:
 * Σ (μ − y)·x̃a = (Σ (μ − y)·xa − ca Σ (μ − y)) / sa.
 */
function standardGradient(raw: Float64Array, { center, scale }: Standardisation): Float64Array {
  const total = raw[0] as number;
  for (let a = 1; a < raw.length; a++)
    raw[a] = ((raw[a] as number) - (center[a] as number) * total) / (scale[a] as number);
  return raw;
}

/** The loss's power (RegressionSpec.tweediePower): 1 for Poisson's. */
function power(spec: RegressionSpec): number {
  const q = spec.tweediePower ?? 1;
  // Tweedie's deviance with a log link is convex in η for 1 ≤ q < 2 only (rowLoss divides by
  // 2 − q); the powers beyond are other families (gamma at 2), not what the counts are.
  if (!(q >= 1 && q < 2)) throw new RangeError(`Tweedie power ${q}: must be in [1, 2)`);
  return q;
}

/**
 * A row's loss at η = log μ, its derivative (the "residual") and second derivative (the weight)
 * in η, into `out`: Poisson's μ − yη, μ − y, μ; Tweedie's of power q,
 * μ^(2−q)/(2−q) − y·μ^(1−q)/(1−q), μ^(1−q)·(μ − y), (2−q)·μ^(2−q) − (1−q)·y·μ^(1−q).
 */
function rowLoss(eta: number, y: number, q: number, out: Float64Array): void {
  const e = Math.min(eta, 30);
  if (q === 1) {
    const mu = Math.exp(e);
    out[0] = mu - y * eta;
    out[1] = mu - y;
    out[2] = mu;
    return;
  }
  const a = Math.exp((1 - q) * e);
  const b = Math.exp((2 - q) * e);
  out[0] = b / (2 - q) - (y * a) / (1 - q);
  out[1] = b - y * a;
  out[2] = (2 - q) * b - (1 - q) * y * a;
}

/** The loss's gradient and Hessian (its lower triangle) at `beta`. */
function newtonSystem(rows: SparseRows, standard: Standardisation, beta: Float64Array, q: number) {
  const p = rows.p;
  const raw = originalCoefficients(beta, standard);
  const hessian = new Float64Array(p * p);
  const gradient = new Float64Array(p);
  const { start, column, value } = rows;
  const loss = new Float64Array(3);
  for (let r = 0; r < rows.n; r++) {
    rowLoss(rowEta(rows, r, raw), rows.y[r] as number, q, loss);
    const residual = loss[1] as number;
    const weight = loss[2] as number;
    gradient[0] = (gradient[0] as number) + residual;
    hessian[0] = (hessian[0] as number) + weight;
    const end = start[r + 1] as number;
    for (let i = start[r] as number; i < end; i++) {
      const a = column[i] as number;
      const xa = value[i] as number;
      gradient[a] = (gradient[a] as number) + residual * xa;
      const wa = weight * xa;
      const offset = a * p;
      hessian[offset] = (hessian[offset] as number) + wa;
      // Columns ascend within a row: the pairs (a, b ≤ a) are those up to i.
      for (let j = start[r] as number; j <= i; j++) {
        const cell = offset + (column[j] as number);
        hessian[cell] = (hessian[cell] as number) + wa * (value[j] as number);
      }
    }
  }
  return {
    hessian: standardHessian(hessian, p, standard),
    gradient: standardGradient(gradient, standard),
  };
}

/**
 * Σ μ·xa·xb on the raw columns (lower triangle; column 0 the intercept's) into the standardised
 * one: Σ μ·x̃a·x̃b = (Hab − ca·Hb0 − cb·Ha0 + ca·cb·H00) / (sa·sb).
 */
function standardHessian(h: Float64Array, p: number, { center, scale }: Standardisation) {
  const h00 = h[0] as number;
  const out = new Float64Array(p * p);
  out[0] = h00;
  for (let a = 1; a < p; a++) {
    const ca = center[a] as number;
    const sa = scale[a] as number;
    const ha0 = h[a * p] as number;
    out[a * p] = (ha0 - ca * h00) / sa;
    for (let b = 1; b <= a; b++) {
      const cb = center[b] as number;
      const hb0 = h[b * p] as number;
      const hab = h[a * p + b] as number;
      out[a * p + b] = (hab - ca * hb0 - cb * ha0 + ca * cb * h00) / (sa * (scale[b] as number));
    }
  }
  return out;
}

/**
 * The unpenalised objective (Poisson's Σ exp(η) − y·η, or Tweedie's: rowLoss) at `beta`
 * (standardised), and, when asked, its gradient.
 */
function objectiveAndGradient(
  rows: SparseRows,
  standard: Standardisation,
  beta: Float64Array,
  withGradient: boolean,
  q: number,
): { value: number; gradient: Float64Array | null } {
  const raw = originalCoefficients(beta, standard);
  const gradient = withGradient ? new Float64Array(rows.p) : null;
  const { start, column, value: values } = rows;
  const loss = new Float64Array(3);
  let value = 0;
  for (let r = 0; r < rows.n; r++) {
    rowLoss(rowEta(rows, r, raw), rows.y[r] as number, q, loss);
    value += loss[0] as number;
    if (!gradient) continue;
    const residual = loss[1] as number;
    gradient[0] = (gradient[0] as number) + residual;
    for (let k = start[r] as number; k < (start[r + 1] as number); k++) {
      const a = column[k] as number;
      gradient[a] = (gradient[a] as number) + residual * (values[k] as number);
    }
  }
  return { value, gradient: gradient && standardGradient(gradient, standard) };
}
