import type { AlertView } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

/**
 * What the shelf life did to the suggested quantity, in a few words, or null: a row with no
 * order otherwise reads as an oversight (the calculator says the whole of it). Only the notes of
 * the quantity the suggestions follow (`orderPolicy`) explain it.
 */
export function useSuggestedNote(): (a: AlertView, orderPolicy: string | null) => string | null {
  const { t } = useI18n();
  return (a, orderPolicy) => {
    const inForce = orderPolicy === "niveau_de_service" ? "service" : "margin";
    const codes = new Set(a.quantityNotes.filter((n) => n.quantity === inForce).map((n) => n.code));
    if (codes.has("shelf_life_blocks_order")) return t("suggestedBlockedByShelfLife");
    if (codes.has("shelf_life_capped")) return t("suggestedCappedByShelfLife");
    return null;
  };
}
