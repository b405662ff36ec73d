import type { StoredQuantityNote } from "./quantity-in-force.js";
import { shelfLifeOutcome } from "./shelf-life-outcome.js";
import { missedWhileWaiting } from "./waiting-for-orders.js";

/**
 * Why a row the morning flags (critical or warning) suggests nothing to order, when the shelf life
 * does not say it (shelf-life-outcome.ts): the stock expected at the target date already covers
 * the forecast sales up to it, the goods on order counted on their expected day, as the formula
 * counts them (SPEC §4). A critical row whose quantity reads "–" otherwise looks like a suggestion
 * the batch forgot; the usual reason is an order already on its way. The Alerts page, the article
 * sheet and `optiflow alerts critical` say it in their own words.
 */
export type EmptySuggestion =
  /** The stock and the goods on order cover the forecast sales up to the target date. */
  | "covered_with_orders"
  /** The stock on hand alone covers them. */
  | "covered_by_stock";

export interface EmptySuggestionRow {
  level: string;
  suggestedQty: number | null;
  onHand: number;
  /** On-hand stock plus the goods on order expected by the target date; null: no forecast. */
  stockAtTarget: number | null;
  quantityNotes: readonly StoredQuantityNote[];
}

export function emptySuggestion(
  row: EmptySuggestionRow,
  orderPolicy: string | null,
): EmptySuggestion | null {
  if (row.level !== "CRITIQUE" && row.level !== "ATTENTION") return null;
  if (row.suggestedQty !== 0 || row.stockAtTarget === null) return null;
  // The shelf life's own words explain this 0 (or the quantity it capped) better.
  if (shelfLifeOutcome(row.quantityNotes, orderPolicy) !== null) return null;
  // Covered in total, but not in time: "covered" would hide the days the shelf stands empty.
  if (missedWhileWaiting(row.quantityNotes, orderPolicy) !== null) return null;
  return row.stockAtTarget > row.onHand ? "covered_with_orders" : "covered_by_stock";
}
