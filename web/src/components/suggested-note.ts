import type { AlertView } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

/**
 * What the shelf life did to the suggested quantity, or says of it, in a few words, or null: a
 * row with no order otherwise reads as an oversight, and one whose order will partly be thrown
 * away looks like any other (the calculator says the whole of it). Only the notes of the quantity
 * the suggestions follow (`orderPolicy`) speak of it.
 */
export function useSuggestedNote(): (a: AlertView, orderPolicy: string | null) => string | null {
  const { t } = useI18n();
  return (a, orderPolicy) => {
    const inForce = orderPolicy === "niveau_de_service" ? "service" : "margin";
    const codes = new Set(a.quantityNotes.filter((n) => n.quantity === inForce).map((n) => n.code));
    if (codes.has("shelf_life_blocks_order")) return t("suggestedBlockedByShelfLife");
    if (codes.has("shelf_life_capped")) return t("suggestedCappedByShelfLife");
    // The brief's quantity is not capped: it says, rather, that part of it would be thrown away.
    if (codes.has("exceeds_shelf_life")) return t("suggestedExceedsShelfLife");
    return null;
  };
}
