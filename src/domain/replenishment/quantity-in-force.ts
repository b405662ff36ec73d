/** A note stored beside a row's quantities, and which of the two it is about. */
export interface StoredQuantityNote {
  code: string;
  quantity: "margin" | "service";
}

/**
 * The notes of the quantity the published suggestions follow: under `marge` the brief's margin
 * quantity, under `niveau_de_service` the service-level one. An unknown policy (a batch older than
 * the setting) is the default, `marge`. The other quantity's notes do not explain the suggestion.
 */
export function notesInForce<T extends StoredQuantityNote>(
  notes: readonly T[],
  orderPolicy: string | null,
): T[] {
  const inForce = orderPolicy === "niveau_de_service" ? "service" : "margin";
  return notes.filter((n) => n.quantity === inForce);
}
