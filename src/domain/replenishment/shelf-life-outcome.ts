import { notesInForce, type StoredQuantityNote } from "./quantity-in-force.js";

/**
 * What the shelf life did to the quantity the morning's suggestions follow, or says of it: a row
 * with no order otherwise reads as an oversight, and one whose order will partly be thrown away
 * looks like any other. The Alerts page, the article sheet, `optiflow alerts critical` and the
 * alert list's exports say it in their own words; this decides which of the three applies, so
 * that they agree.
 */
export type ShelfLifeOutcome =
  /** No order: even the smallest the supplier takes would perish unsold. */
  | "blocked"
  /** Held down to what sells before it perishes. */
  | "capped"
  /** The brief's quantity is not capped: rounded up, part of it would be thrown away. */
  | "exceeds";

/**
 * The outcome for a row's notes under the published order policy. Only the notes of the quantity
 * in force count (quantity-in-force.ts): under `marge`, the service-level quantity's "blocked"
 * does not explain a 0 that comes from stock covering the forecast.
 */
export function shelfLifeOutcome(
  notes: readonly StoredQuantityNote[],
  orderPolicy: string | null,
): ShelfLifeOutcome | null {
  const codes = new Set(notesInForce(notes, orderPolicy).map((n) => n.code));
  if (codes.has("shelf_life_blocks_order")) return "blocked";
  if (codes.has("shelf_life_capped")) return "capped";
  if (codes.has("exceeds_shelf_life")) return "exceeds";
  return null;
}
