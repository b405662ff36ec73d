import { applyClosedDays, type SeriesInput } from "./model-input.js";

/**
 * Intermittent demand (SPEC §5): many days at zero. Croston separates the size of non-zero
 * demands from the interval between them; SBA removes Croston's known upward bias; TSB updates
 * a demand probability every period, so it decays for articles that stopped selling.
 * Censored and closed days are skipped: they are neither a zero nor a demand.
 */

export type DemandClass = "smooth" | "erratic" | "intermittent" | "lumpy";

/** Syntetos–Boylan–Croston classification by ADI (1.32) and CV² (0.49) cut-offs. */
export function classifyDemand(values: ArrayLike<number>): {
  demandClass: DemandClass;
  adi: number;
  cv2: number;
} {
  let periods = 0;
  let nonZero = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    periods++;
    if (v > 0) {
      nonZero++;
      sum += v;
      sumSq += v * v;
    }
  }
  const adi = nonZero > 0 ? periods / nonZero : Number.POSITIVE_INFINITY;
  const mean = nonZero > 0 ? sum / nonZero : 0;
  const cv2 = nonZero > 1 && mean > 0 ? (sumSq / nonZero - mean * mean) / (mean * mean) : 0;
  const demandClass: DemandClass =
    adi < 1.32 ? (cv2 < 0.49 ? "smooth" : "erratic") : cv2 < 0.49 ? "intermittent" : "lumpy";
  return { demandClass, adi, cv2 };
}

interface Rates {
  croston: number;
  sba: number;
  tsb: number;
}

/**
 * Croston, SBA and TSB read the same values at the same origins, one after the other: their
 * rates are computed together and the last series' are kept (a single entry, so memory stays
 * bounded).
 */
let lastRates: { input: SeriesInput; byOrigin: Map<number, Rates> } | null = null;

/** Croston's and SBA's smoothing constant (statsforecast's default). */
const CROSTON_ALPHA = 0.1;

function ratesAt(input: SeriesInput, origin: number): Rates {
  if (lastRates?.input !== input) lastRates = { input, byOrigin: new Map() };
  let rates = lastRates.byOrigin.get(origin);
  if (!rates) {
    const { values, demands } = knownOpenValues(input, origin);
    const croston = crostonRate(values);
    // SBA is Croston's rate debiased by (1 − α/2): the same smoothing, not run twice.
    rates = { croston, sba: croston * (1 - CROSTON_ALPHA / 2), tsb: tsbRate(values, demands) };
    lastRates.byOrigin.set(origin, rates);
  }
  return rates;
}

/**
 * Reused by every call: the values are read at once and dropped, and a year's array for each
 * origin of each series was a visible share of a selection's garbage.
 */
let scratch = new Float64Array(365);

/** The open, known days' values over the last `maxDays`, and how many of them sold. */
function knownOpenValues(
  input: SeriesInput,
  origin: number,
  maxDays = 365,
): { values: Float64Array; demands: number } {
  const from = Math.max(0, origin - maxDays);
  if (scratch.length < origin - from) scratch = new Float64Array(origin - from);
  let n = 0;
  let demands = 0;
  for (let i = from; i < origin; i++) {
    const v = input.sales[i] as number;
    if (!Number.isFinite(v) || input.calendar.open[i] !== 1) continue;
    const value = Math.max(0, v);
    scratch[n++] = value;
    if (value > 0) demands++;
  }
  return { values: scratch.subarray(0, n), demands };
}

/** Croston's size and interval smoothing; `variant` sba applies the (1 − α/2) debiasing. */
export function crostonRate(
  values: ArrayLike<number>,
  alpha = CROSTON_ALPHA,
  variant: "classic" | "sba" = "classic",
): number {
  let size = Number.NaN;
  let interval = Number.NaN;
  let gap = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v > 0) {
      if (Number.isNaN(size)) {
        size = v;
        interval = gap;
      } else {
        size += alpha * (v - size);
        interval += alpha * (gap - interval);
      }
      gap = 1;
    } else gap++;
  }
  if (Number.isNaN(size)) return 0;
  const rate = size / interval;
  return variant === "sba" ? rate * (1 - alpha / 2) : rate;
}

/**
 * Teunter–Syntetos–Babai: probability of a demand updated every period. `demands`, the number
 * of values above zero, when the caller counted them already.
 */
export function tsbRate(
  values: ArrayLike<number>,
  demands = countDemands(values),
  alphaSize = 0.1,
  alphaProbability = 0.05,
): number {
  let size = Number.NaN;
  let probability = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const occurred = v > 0 ? 1 : 0;
    if (Number.isNaN(probability)) {
      if (!occurred) continue;
      probability = 1 / Math.max(1, values.length / Math.max(1, demands));
      size = v;
      continue;
    }
    probability += alphaProbability * (occurred - probability);
    if (occurred) size += alphaSize * (v - size);
  }
  return Number.isNaN(size) ? 0 : size * probability;
}

function countDemands(values: ArrayLike<number>): number {
  let demands = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > 0) demands++;
  return demands;
}

function flat(input: SeriesInput, origin: number, horizon: number, rate: number): Float64Array {
  return applyClosedDays(new Float64Array(horizon).fill(Math.max(0, rate)), input.calendar, origin);
}

export function croston(input: SeriesInput, origin: number, horizon: number): Float64Array {
  return flat(input, origin, horizon, ratesAt(input, origin).croston);
}

export function sba(input: SeriesInput, origin: number, horizon: number): Float64Array {
  return flat(input, origin, horizon, ratesAt(input, origin).sba);
}

export function tsb(input: SeriesInput, origin: number, horizon: number): Float64Array {
  return flat(input, origin, horizon, ratesAt(input, origin).tsb);
}
