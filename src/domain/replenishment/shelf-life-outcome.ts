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

interface StoredNote {
  code: string;
  /** Which of the row's two quantities the note is about. */
  quantity: "margin" | "service";
}

/**
 * The outcome for a row's notes under the published order policy. Only the notes of the quantity
 * in force count: under `marge`, the service-level quantity's "blocked" does not explain a 0
 * that comes from stock covering the forecast. An unknown policy (a batch older than the
 * setting) is the default, `marge`.
 */
export function shelfLifeOutcome(
  notes: readonly StoredNote[],
  orderPolicy: string | null,
): ShelfLifeOutcome | null {
  const inForce = orderPolicy === "niveau_de_service" ? "service" : "margin";
  const codes = new Set(notes.filter((n) => n.quantity === inForce).map((n) => n.code));
  if (codes.has("shelf_life_blocks_order")) return "blocked";
  if (codes.has("shelf_life_capped")) return "capped";
  if (codes.has("exceeds_shelf_life")) return "exceeds";
  return null;
}
