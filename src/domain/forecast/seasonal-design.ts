import { dayOfYear, weekdayOfDay } from "../calendar/days.js";
import { choleskyFactor } from "./cholesky.js";
import type { StoreCalendar } from "./model-input.js";

/**
 * The calendar part of the Prophet-like model's design matrix, shared by every series of a
 * store: trend with changepoints, weekday effects, yearly Fourier terms and event windows.
 *
 * One design serves every origin up to its `anchor` (the final forecast's origin), so that a
 * series' backtest fits and its final fit share one pass over its history:
 * - the columns do not depend on the origin: the trend is measured from the anchor (the
 *   unpenalised intercept absorbs the shift) and changepoints lie on a grid laid back from the
 *   anchor; an origin uses those at least `CHANGEPOINT_QUIET_DAYS` before it;
 * - the observation weights decay from the anchor: origin o's weights are these times the
 *   constant 2^((anchor − o) / half-life), so sums over [0, o) are prefix sums, scaled.
 * The weighted Gram matrix over the history is built once per (store, origin); each series
 * then only subtracts the rows it cannot use (censored or closed days).
 */
export interface SeasonalDesign {
  anchor: number;
  /** The observations' weight halves every this many days back from the anchor. */
  halfLifeDays: number;
  columns: readonly ColumnSpec[];
  /** Row-major values, calendar.length × columns.length (history and horizon). */
  rows: Float64Array;
  historyLength: number;
  /** How each column is made, so that a series' sums against it skip the arithmetic. */
  shapes: readonly ColumnShape[];
  /** The indices of the dense columns (the yearly terms), summed together day by day. */
  denseColumns: Int32Array;
  /** Observation weight per index, decaying back from the anchor. */
  weights: Float64Array;
  /** Lazily filled: prefix Gram matrices and active columns per origin. */
  byOrigin: Map<number, OriginDesign>;
  /** Lazily filled (prefixGram): the same prefix sums every CHECKPOINT_DAYS days (null: none yet). */
  checkpoints: (Float64Array | null)[] | null;
}

export interface ColumnSpec {
  name: string;
  /** Ridge penalty, in days of observation weight. */
  penalty: number;
  /** For a changepoint, the index it starts at; the column joins origins far enough after it. */
  changepoint?: number;
}

/**
 * A series' sums Σ x·c over the history take O(n) per dense column, but O(1) per ramp (from
 * prefix sums) and O(ones) per indicator; the trend, changepoints, weekdays and events are
 * all of those kinds, which leaves the yearly terms as the only dense columns.
 */
export type ColumnShape =
  | { kind: "constant" }
  /** (i − from) / 365 from index `start` on, zero before. */
  | { kind: "ramp"; from: number; start: number }
  /** 1 at `ones` (ascending), zero elsewhere (history only). */
  | { kind: "indicator"; ones: Int32Array }
  /** Anything else: read from the design's rows. */
  | { kind: "dense" };

export interface OriginDesign {
  /** Indices (ascending) of the columns this origin's model uses. */
  active: Int32Array;
  /** Σ v x xᵀ over the open days before the origin, with the anchor's weights (lower triangle). */
  gram: Float64Array;
  /** Multiplies the anchor's weights into this origin's: 2^((anchor − origin) / half-life). */
  weightScale: number;
  /** Cholesky factor of the penalised calendar block, for series that use every open day. */
  factor: Float64Array | null;
}

/** Added to every penalty so that a column with no data still gives a solvable system. */
export const RIDGE_JITTER = 1e-9;

export const YEARLY_ORDER = 8;
const CHANGEPOINT_SPACING = 91;
const CHANGEPOINT_QUIET_DAYS = 56;

/**
 * The calendar design's choices, set before the bench had halves: the ridge penalties of its
 * columns, in days of observation weight, and how fast the observations' weight halves going
 * back. On the tuning half each penalty a third or three times as large, and the half-life
 * halved or doubled, lowered the pooled weekly WAPE of none of the three real retail sets
 * (docs/FORECASTING.md).
 */
export interface SeasonalSpec {
  trend: number;
  changepoint: number;
  weekday: number;
  yearly: number;
  halfLifeDays: number;
  /**
   * The forecast as expm1 of the linear predictor, a median ("median", the default), or that
   * times a smearing factor, a mean ("mean"). Not part of the design: its cache ignores it.
   */
  backTransform?: "median" | "mean";
}

export const SEASONAL_SPEC: SeasonalSpec = {
  trend: 20,
  changepoint: 60,
  weekday: 2,
  yearly: 10,
  halfLifeDays: 365,
};

export function buildSeasonalDesign(
  calendar: StoreCalendar,
  anchor: number,
  spec: SeasonalSpec = SEASONAL_SPEC,
): SeasonalDesign {
  const changepoints: number[] = [];
  for (let c = anchor - CHANGEPOINT_QUIET_DAYS; c > 60; c -= CHANGEPOINT_SPACING)
    changepoints.push(c);
  const columns: ColumnSpec[] = [
    { name: "intercept", penalty: 0 },
    { name: "trend", penalty: spec.trend },
    ...changepoints.map((c) => ({
      name: `changepoint:${c}`,
      penalty: spec.changepoint,
      changepoint: c,
    })),
    ...[1, 2, 3, 4, 5, 6].map((d) => ({ name: `weekday:${d}`, penalty: spec.weekday })),
    ...Array.from({ length: YEARLY_ORDER * 2 }, (_, k) => ({
      name: `yearly:${k}`,
      penalty: spec.yearly,
    })),
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
    const o = i * p;
    let c = 0;
    rows[o + c++] = 1;
    rows[o + c++] = (i - anchor) / 365;
    for (const cp of changepoints) rows[o + c++] = Math.max(0, (i - cp) / 365);
    const weekday = weekdayOfDay(day);
    for (let d = 1; d <= 6; d++) rows[o + c++] = weekday === d ? 1 : 0;
    const angle = (2 * Math.PI * dayOfYear(day)) / 365.25;
    for (let k = 1; k <= YEARLY_ORDER; k++) {
      rows[o + c++] = Math.sin(k * angle);
      rows[o + c++] = Math.cos(k * angle);
    }
    for (const e of eventColumns) rows[o + c++] = e.active[i + e.shift] === 1 ? 1 : 0;
    weights[i] = 0.5 ** ((anchor - i) / spec.halfLifeDays);
  }
  const historyLength = Math.max(0, Math.min(anchor, calendar.length));
  const shapes = columns.map((c, a) => columnShape(c, a, rows, p, historyLength, anchor));
  const denseColumns = Int32Array.from(
    shapes.flatMap((shape, a) => (shape.kind === "dense" ? [a] : [])),
  );
  return {
    anchor,
    halfLifeDays: spec.halfLifeDays,
    columns,
    rows,
    historyLength,
    shapes,
    denseColumns,
    weights,
    byOrigin: new Map(),
    checkpoints: null,
  };
}

function columnShape(
  column: ColumnSpec,
  a: number,
  rows: Float64Array,
  p: number,
  n: number,
  anchor: number,
): ColumnShape {
  if (column.name === "intercept") return { kind: "constant" };
  if (column.name === "trend") return { kind: "ramp", from: anchor, start: 0 };
  if (column.changepoint !== undefined)
    return { kind: "ramp", from: column.changepoint, start: Math.max(0, column.changepoint + 1) };
  const ones: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = rows[i * p + a] as number;
    if (v === 1) ones.push(i);
    else if (v !== 0) return { kind: "dense" };
  }
  return { kind: "indicator", ones: Int32Array.from(ones) };
}

/**
 * The columns and calendar Gram matrix of one origin, built from the nearest origin already
 * built before it (prefix sums: only the rows in between are added).
 */
export function originDesign(
  design: SeasonalDesign,
  calendar: StoreCalendar,
  origin: number,
): OriginDesign {
  const known = design.byOrigin.get(origin);
  if (known) return known;
  const p = design.columns.length;
  let from = 0;
  const gram = new Float64Array(p * p);
  for (const [o, d] of design.byOrigin) {
    if (o <= origin && o > from) {
      from = o;
      gram.set(d.gram);
    }
  }
  addOpenDays(gram, design, calendar, from, Math.min(origin, design.historyLength));
  const active: number[] = [];
  design.columns.forEach((c, index) => {
    if (c.changepoint === undefined || c.changepoint <= origin - CHANGEPOINT_QUIET_DAYS)
      active.push(index);
  });
  const built: OriginDesign = {
    active: Int32Array.from(active),
    gram,
    weightScale: 2 ** ((design.anchor - origin) / design.halfLifeDays),
    factor: null,
  };
  design.byOrigin.set(origin, built);
  return built;
}

/** The factor of scale · G[active] + penalties, computed on first use. */
export function calendarFactor(design: SeasonalDesign, at: OriginDesign): Float64Array {
  if (at.factor) return at.factor;
  const p = design.columns.length;
  const { active, weightScale: scale } = at;
  const m = active.length;
  const block = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    const ra = (active[a] as number) * p;
    for (let b = 0; b <= a; b++)
      block[a * m + b] = scale * (at.gram[ra + (active[b] as number)] as number);
    const penalty = (design.columns[active[a] as number] as ColumnSpec).penalty;
    block[a * m + a] = (block[a * m + a] as number) + penalty + RIDGE_JITTER;
  }
  at.factor = choleskyFactor(block, m);
  return at.factor;
}

/** Days between two of a design's stored prefix Gram matrices (prefixGram). */
const CHECKPOINT_DAYS = 28;

/**
 * Σ w x xᵀ over the open days before `day` (lower triangle), a fresh copy; null when there is
 * none. From the stored sum of the last checkpoint before it, then day by day: every entry adds
 * the same terms in the same order as a pass from day 0, so the result is the same to the bit.
 * A series listed after the history starts has its unknown first days summed here, in at most
 * CHECKPOINT_DAYS steps, rather than one by one (seasonal-model.ts, eachOwnGram).
 */
export function prefixGram(
  design: SeasonalDesign,
  calendar: StoreCalendar,
  day: number,
): Float64Array | null {
  const end = Math.min(day, design.historyLength);
  design.checkpoints ??= buildCheckpoints(design, calendar);
  const k = Math.floor(end / CHECKPOINT_DAYS);
  const stored = design.checkpoints[k] as Float64Array | null;
  return addOpenDays(stored ? stored.slice() : null, design, calendar, k * CHECKPOINT_DAYS, end);
}

/**
 * The prefix sums at days 0, CHECKPOINT_DAYS, 2·CHECKPOINT_DAYS… up to the history's end, one
 * entry per checkpoint (null before any open day).
 */
function buildCheckpoints(
  design: SeasonalDesign,
  calendar: StoreCalendar,
): (Float64Array | null)[] {
  const n = design.historyLength;
  const out: (Float64Array | null)[] = [null];
  let gram: Float64Array | null = null;
  for (let from = 0; from + CHECKPOINT_DAYS <= n; from += CHECKPOINT_DAYS) {
    gram = addOpenDays(gram, design, calendar, from, from + CHECKPOINT_DAYS);
    out.push(gram ? gram.slice() : null);
  }
  return out;
}

/**
 * gram += the open days' rows over [from, to), in day order (a new matrix at the first open
 * day when `gram` is null; still null without any).
 */
function addOpenDays(
  gram: Float64Array | null,
  design: SeasonalDesign,
  calendar: StoreCalendar,
  from: number,
  to: number,
): Float64Array | null {
  const p = design.columns.length;
  let sum = gram;
  for (let i = from; i < to; i++) {
    if (calendar.open[i] !== 1) continue;
    sum ??= new Float64Array(p * p);
    addOuter(sum, design.rows, i * p, p, design.weights[i] as number);
  }
  return sum;
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

/** Memoises designs per calendar, anchor and spec: a pure cache, the inputs are immutable. */
const designs = new WeakMap<StoreCalendar, Map<string, SeasonalDesign>>();

export function seasonalDesignFor(
  calendar: StoreCalendar,
  anchor: number,
  spec: SeasonalSpec = SEASONAL_SPEC,
): SeasonalDesign {
  let byKey = designs.get(calendar);
  if (!byKey) {
    byKey = new Map();
    designs.set(calendar, byKey);
  }
  const { trend, changepoint, weekday, yearly, halfLifeDays } = spec;
  const key = `${anchor}:${trend}:${changepoint}:${weekday}:${yearly}:${halfLifeDays}`;
  let design = byKey.get(key);
  if (!design) {
    design = buildSeasonalDesign(calendar, anchor, spec);
    byKey.set(key, design);
  }
  return design;
}
