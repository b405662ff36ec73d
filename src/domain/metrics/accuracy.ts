/**
 * Forecast accuracy measures (SPEC §4): pure functions over paired arrays. NaN actuals (unknown
 * or censored days) are skipped pairwise, so a stock-out never counts as a forecast error.
 */

function pairs(
  forecast: ArrayLike<number>,
  actual: ArrayLike<number>,
  visit: (f: number, a: number) => void,
): void {
  const n = Math.min(forecast.length, actual.length);
  for (let i = 0; i < n; i++) {
    const f = forecast[i] as number;
    const a = actual[i] as number;
    if (Number.isFinite(f) && Number.isFinite(a)) visit(f, a);
  }
}

/** Σ|F − A| / Σ A. NaN when nothing was sold (the ratio is undefined, not zero). */
export function wape(forecast: ArrayLike<number>, actual: ArrayLike<number>): number {
  let error = 0;
  let total = 0;
  pairs(forecast, actual, (f, a) => {
    error += Math.abs(f - a);
    total += a;
  });
  return total > 0 ? error / total : Number.NaN;
}

/** Mean of |F − A| / A over the pairs with A > 0. */
export function mape(forecast: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  pairs(forecast, actual, (f, a) => {
    if (a > 0) {
      sum += Math.abs(f - a) / a;
      n++;
    }
  });
  return n > 0 ? sum / n : Number.NaN;
}

/** (Σ F − Σ A) / Σ A: positive when the forecast runs high. */
export function bias(forecast: ArrayLike<number>, actual: ArrayLike<number>): number {
  let diff = 0;
  let total = 0;
  pairs(forecast, actual, (f, a) => {
    diff += f - a;
    total += a;
  });
  return total > 0 ? diff / total : Number.NaN;
}

/**
 * Mean absolute scaled error: MAE over the in-sample MAE of the seasonal naive forecast with
 * period `season` (7 for daily retail data).
 */
export function mase(
  forecast: ArrayLike<number>,
  actual: ArrayLike<number>,
  training: ArrayLike<number>,
  season = 7,
): number {
  let scale = 0;
  let n = 0;
  for (let i = season; i < training.length; i++) {
    const a = training[i] as number;
    const b = training[i - season] as number;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      scale += Math.abs(a - b);
      n++;
    }
  }
  let mae = 0;
  let m = 0;
  pairs(forecast, actual, (f, a) => {
    mae += Math.abs(f - a);
    m++;
  });
  if (n === 0 || m === 0 || scale === 0) return Number.NaN;
  return mae / m / (scale / n);
}

/** Pinball (quantile) loss of a quantile forecast at level `tau`. */
export function pinballLoss(
  quantile: ArrayLike<number>,
  actual: ArrayLike<number>,
  tau: number,
): number {
  let sum = 0;
  let n = 0;
  pairs(quantile, actual, (q, a) => {
    sum += a >= q ? tau * (a - q) : (1 - tau) * (q - a);
    n++;
  });
  return n > 0 ? sum / n : Number.NaN;
}

/** Share of actuals inside [lower, upper]. */
export function intervalCoverage(
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  actual: ArrayLike<number>,
): number {
  let inside = 0;
  let n = 0;
  const count = Math.min(lower.length, upper.length, actual.length);
  for (let i = 0; i < count; i++) {
    const a = actual[i] as number;
    if (!Number.isFinite(a)) continue;
    n++;
    if (a >= (lower[i] as number) - 1e-9 && a <= (upper[i] as number) + 1e-9) inside++;
  }
  return n > 0 ? inside / n : Number.NaN;
}

/**
 * Sums daily values into consecutive 7-day blocks starting at index 0 (callers align index 0
 * on a week start). A block with any NaN day is NaN for actuals when `strict`, so that weeks
 * with censored days are left out of weekly scores rather than counted as low sales.
 */
export function weeklyTotals(daily: ArrayLike<number>, strict = true): number[] {
  const weeks: number[] = [];
  for (let start = 0; start + 7 <= daily.length; start += 7) {
    let sum = 0;
    let unknown = false;
    for (let i = start; i < start + 7; i++) {
      const v = daily[i] as number;
      if (Number.isFinite(v)) sum += v;
      else unknown = true;
    }
    weeks.push(unknown && strict ? Number.NaN : sum);
  }
  return weeks;
}
