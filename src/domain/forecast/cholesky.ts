/**
 * Symmetric positive definite systems by Cholesky factorisation (row-major, n × n; only the
 * lower triangle is read, so callers may fill just that). A small jitter replaces a pivot that
 * rounding made non-positive, which the ridge penalty makes rare.
 */
export function choleskyFactor(matrix: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const sum = (matrix[ri + j] as number) - rowDot(l, ri, rj, j);
      if (i === j) l[ri + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[ri + j] = sum / (l[rj + j] as number);
    }
  }
  return l;
}

/**
 * Σ l[a + k] · l[b + k] for k < length, four products at a time in separate sums: the
 * factorisation's inner loop, which V8 runs faster so than one running sum.
 */
function rowDot(l: Float64Array, a: number, b: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < length; k += 4) {
    s0 += (l[a + k] as number) * (l[b + k] as number);
    s1 += (l[a + k + 1] as number) * (l[b + k + 1] as number);
    s2 += (l[a + k + 2] as number) * (l[b + k + 2] as number);
    s3 += (l[a + k + 3] as number) * (l[b + k + 3] as number);
  }
  for (; k < length; k++) s0 += (l[a + k] as number) * (l[b + k] as number);
  return s0 + s1 + s2 + s3;
}

/** Solves L y = b (forward substitution). */
export function forwardSolve(l: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[ri + k] as number) * (y[k] as number);
    y[i] = sum / (l[ri + i] as number);
  }
  return y;
}

/** Solves Lᵀ x = y in place (backward substitution). */
export function backwardSolveInPlace(l: Float64Array, y: Float64Array, n: number): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] as number) * (y[k] as number);
    y[i] = sum / (l[i * n + i] as number);
  }
  return y;
}

/** Solves A x = b. */
export function solveSymmetric(matrix: Float64Array, rhs: Float64Array, n: number): Float64Array {
  const l = choleskyFactor(matrix, n);
  return backwardSolveInPlace(l, forwardSolve(l, rhs, n), n);
}

/**
 * Solves [[A, u], [uᵀ, d]] [x; y] = [r; s] from a factor L of A (n × n): a bordered system,
 * one row and column more than a matrix already factorised. Returns a solver for any (d, s):
 * the forward substitutions are shared, each (d, s) costs one backward substitution. The
 * Prophet-like fits share the calendar block between series and between promotion penalties.
 * A null `u` is a zero border (a series without promotions): its substitution is skipped.
 */
export function borderedSolver(
  l: Float64Array,
  n: number,
  u: Float64Array | null,
  r: Float64Array,
): (d: number, s: number) => Float64Array {
  const { z, w } = u === null ? { z: null, w: forwardSolve(l, r, n) } : forwardSolveTwo(l, u, r, n);
  let zz = 0;
  let zw = 0;
  if (z)
    for (let i = 0; i < n; i++) {
      zz += (z[i] as number) * (z[i] as number);
      zw += (z[i] as number) * (w[i] as number);
    }
  return (d, s) => {
    const y = (s - zw) / Math.max(d - zz, 1e-12);
    const x = new Float64Array(n + 1);
    if (z) for (let i = 0; i < n; i++) x[i] = (w[i] as number) - y * (z[i] as number);
    else x.set(w);
    backwardSolveInPlace(l, x, n);
    x[n] = y;
    return x;
  };
}

/** L z = u and L w = r in one pass over L (each the same arithmetic as forwardSolve). */
function forwardSolveTwo(
  l: Float64Array,
  u: ArrayLike<number>,
  r: ArrayLike<number>,
  n: number,
): { z: Float64Array; w: Float64Array } {
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let su = u[i] as number;
    let sr = r[i] as number;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k] as number;
      su -= lik * (z[k] as number);
      sr -= lik * (w[k] as number);
    }
    const pivot = l[ri + i] as number;
    z[i] = su / pivot;
    w[i] = sr / pivot;
  }
  return { z, w };
}
