import { notesInForce, type StoredQuantityNote } from "./quantity-in-force.js";

type Note = StoredQuantityNote & { safetyStock?: number };

/**
 * The retailer's own safety stock (`articles.stock_securite`) where the suggestion in force leaves
 * the stock expected at the target date under it, else null. Under `marge` the brief's formula is
 * kept exactly and does not lift the quantity to it (SPEC §4): the calculator warned, and the
 * Alerts page, the article sheet and `optiflow alerts critical` now say it beside the quantity,
 * where a row marked OK otherwise hides that the shop's own rule will be broken.
 * (`niveau_de_service` raises its quantity instead: its note is `safety_stock_raised`.)
 */
export function safetyStockShortfall(
  notes: readonly Note[],
  orderPolicy: string | null,
): number | null {
  const note = notesInForce(notes, orderPolicy).find((n) => n.code === "below_safety_stock");
  return note?.safetyStock ?? null;
}
