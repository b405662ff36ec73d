import { dayOfYear, weekdayOfDay } from "../calendar/days.js";
import type { StoreCalendar } from "./model-input.js";

/**
 * The calendar part of the Prophet-like model's design matrix, shared by every series of a
 * store: trend with changepoints, weekday effects, yearly Fourier terms and event windows.
 * Its weighted Gram matrix over the history is computed once per (store, origin); each series
 * then only subtracts the rows it cannot use (censored or closed days), which turns thousands
 * of regressions into a few hundred thousand flops each.
 */
export interface SeasonalDesign {
  origin: number;
  columns: readonly ColumnSpec[];
  /** Row-major values, calendar.length × columns.length. */
  rows: Float64Array;
  /** Observation weight per index: recent days count more. */
  weights: Float64Array;
  /** Σ w x xᵀ over open history days before `origin` (lower triangle). */
  gram: Float64Array;
}

export interface ColumnSpec {
  name: string;
  /** Ridge penalty, in days of observation weight. */
  penalty: number;
}

export const YEARLY_ORDER = 8;
const CHANGEPOINT_SPACING = 91;
const CHANGEPOINT_QUIET_DAYS = 56;
const WEIGHT_HALF_LIFE_DAYS = 365;

export function buildSeasonalDesign(calendar: StoreCalendar, origin: number): SeasonalDesign {
  const changepoints: number[] = [];
  for (let c = origin - CHANGEPOINT_QUIET_DAYS; c > 60; c -= CHANGEPOINT_SPACING)
    changepoints.push(c);
  const columns: ColumnSpec[] = [
    { name: "intercept", penalty: 0 },
    { name: "trend", penalty: 20 },
    ...changepoints.map((c) => ({ name: `changepoint:${c}`, penalty: 60 })),
    ...[1, 2, 3, 4, 5, 6].map((d) => ({ name: `weekday:${d}`, penalty: 2 })),
    ...Array.from({ length: YEARLY_ORDER * 2 }, (_, k) => ({ name: `yearly:${k}`, penalty: 10 })),
  ];
  const eventColumns = calendar.events.flatMap((e) => [
    { name: `event:${e.type}`, penalty: 2, active: e.active, shift: 0 },
    ...(e.type === "FERIE"
      ? [{ name: `event:${e.type}:before`, penalty: 2, active: e.active, shift: 1 }]
      : []),
  ]);
  for (const c of eventColumns) columns.push({ name: c.name, penalty: c.penalty });

  const p = columns.length;
  const rows = new Float64Array(calendar.length * p);
  const weights = new Float64Array(calendar.length);
  for (let i = 0; i < calendar.length; i++) {
    const day = calendar.firstDay + i;
    const t = (i - origin) / 365;
    const o = i * p;
    let c = 0;
    rows[o + c++] = 1;
    rows[o + c++] = t;
    for (const cp of changepoints) rows[o + c++] = Math.max(0, (i - cp) / 365);
    const weekday = weekdayOfDay(day);
    for (let d = 1; d <= 6; d++) rows[o + c++] = weekday === d ? 1 : 0;
    const angle = (2 * Math.PI * dayOfYear(day)) / 365.25;
    for (let k = 1; k <= YEARLY_ORDER; k++) {
      rows[o + c++] = Math.sin(k * angle);
      rows[o + c++] = Math.cos(k * angle);
    }
    for (const e of eventColumns) rows[o + c++] = e.active[i + e.shift] === 1 ? 1 : 0;
    weights[i] = 0.5 ** ((origin - i) / WEIGHT_HALF_LIFE_DAYS);
  }
  const gram = new Float64Array(p * p);
  for (let i = 0; i < Math.min(origin, calendar.length); i++) {
    if (calendar.open[i] === 1) addOuter(gram, rows, i * p, p, weights[i] as number);
  }
  return { origin, columns, rows, weights, gram };
}

/**
 * gram += w · x xᵀ for the row at `offset`, lower triangle only (b ≤ a): the Cholesky solver
 * reads nothing else, and half the work is saved on every censored day of every series.
 * (A compressed-row variant skipping the zeros was measured slower: V8 prefers dense loops.)
 */
export function addOuter(
  gram: Float64Array,
  rows: Float64Array,
  offset: number,
  p: number,
  w: number,
): void {
  for (let a = 0; a < p; a++) {
    const xa = (rows[offset + a] as number) * w;
    if (xa === 0) continue;
    const row = a * p;
    for (let b = 0; b <= a; b++)
      gram[row + b] = (gram[row + b] as number) + xa * (rows[offset + b] as number);
  }
}

/** Memoises designs per calendar and origin: a pure cache, the inputs are immutable. */
const designs = new WeakMap<StoreCalendar, Map<number, SeasonalDesign>>();

export function seasonalDesignFor(calendar: StoreCalendar, origin: number): SeasonalDesign {
  let byOrigin = designs.get(calendar);
  if (!byOrigin) {
    byOrigin = new Map();
    designs.set(calendar, byOrigin);
  }
  let design = byOrigin.get(origin);
  if (!design) {
    design = buildSeasonalDesign(calendar, origin);
    byOrigin.set(origin, design);
  }
  return design;
}
