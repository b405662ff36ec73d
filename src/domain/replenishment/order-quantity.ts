import { nextMaskedDay, type WeekdayMask } from "../calendar/opening-days.js";
import { InputError } from "../input-error.js";

export interface OrderQuantityInput {
  /** Daily forecasts from today (index 0 = t). */
  forecast: ArrayLike<number>;
  stock: number;
  /** Days from today to the target date D (D = t + targetOffset), inclusive of D. */
  targetOffset: number;
  marginPct: number;
  packSize: number;
  minimumOrder: number;
}

export interface OrderQuantity {
  /** Σ F(d) for d = t … D. */
  forecastToTarget: number;
  /** (Σ F − stock) × (1 + marge/100), before rounding; may be ≤ 0. */
  raw: number;
  /** After rounding up to the pack size and raising to the minimum order. */
  quantity: number;
}

/** Why an order input was refused, as a stable code the pages translate. */
export type OrderInputCode =
  | "invalid_input"
  | "not_a_date"
  | "date_in_past"
  | "date_beyond_horizon"
  | "not_finite"
  | "unknown_article"
  | "below_minimum"
  | "not_pack_multiple";

export class OrderInputError extends InputError {
  constructor(
    field: string,
    message: string,
    code: OrderInputCode = "invalid_input",
    values: Record<string, number> = {},
  ) {
    super(field, message, code, values);
    this.name = "OrderInputError";
  }
}

/**
 * SPEC §4: Q = max(0, (Σ F(d), d = t … D − stock_actuel) × (1 + marge/100)), rounded up to a
 * multiple of `colisage`, raised to `minimum_commande` when positive.
 */
export function suggestOrderQuantity(input: OrderQuantityInput): OrderQuantity {
  if (!Number.isInteger(input.targetOffset) || input.targetOffset < 0) {
    throw new OrderInputError("targetDate", "must be today or later", "date_in_past");
  }
  if (input.targetOffset >= input.forecast.length) {
    throw new OrderInputError(
      "targetDate",
      `is beyond the forecast horizon (${input.forecast.length} days)`,
      "date_beyond_horizon",
    );
  }
  if (!Number.isFinite(input.stock))
    throw new OrderInputError("stock", "must be a finite number", "not_finite");
  if (!Number.isFinite(input.marginPct) || input.marginPct < -100 || input.marginPct > 500) {
    throw new OrderInputError("margin", "must be a percentage between -100 and 500");
  }
  let forecastToTarget = 0;
  for (let d = 0; d <= input.targetOffset; d++) forecastToTarget += input.forecast[d] as number;
  const raw = (forecastToTarget - input.stock) * (1 + input.marginPct / 100);
  return { forecastToTarget, raw, quantity: roundToPack(raw, input.packSize, input.minimumOrder) };
}

/** Up to a multiple of the pack size, then raised to the minimum order when positive. */
export function roundToPack(units: number, packSize: number, minimumOrder: number): number {
  const pack = packSize > 0 ? packSize : 1;
  if (!(units > 0)) return 0;
  // The epsilon keeps 12.000000001 from becoming two packs through float noise.
  const packs = Math.ceil(units / pack - 1e-9) * pack;
  return packs < minimumOrder ? Math.ceil(minimumOrder / pack - 1e-9) * pack : packs;
}

/**
 * SPEC §4 default target date: t + L + review period, where the review period is the gap
 * between the next two days the supplier takes orders (7 when its mask allows none).
 */
export function defaultTargetOffset(
  today: number,
  leadTime: number,
  orderDays: WeekdayMask,
): number {
  const first = nextMaskedDay(orderDays, today);
  const second = first === null ? null : nextMaskedDay(orderDays, first + 1);
  const review = first === null || second === null ? 7 : second - first;
  return leadTime + review;
}
