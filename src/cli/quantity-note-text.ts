import type { SuggestionNote } from "../domain/replenishment/risk-aware-quantity.js";
import { frenchNumber } from "./french-number.js";

/** What a note on a suggested quantity means, in the words of the calculator's page. */
export function quantityNoteText(note: SuggestionNote): string {
  switch (note.code) {
    case "shelf_life_capped":
      return `Limitée à ${frenchNumber(note.maxUnits)} : au-delà, la marchandise périmerait avant d'être vendue.`;
    case "exceeds_shelf_life":
      return `Attention : plus que ce qui se vend avant péremption (${frenchNumber(note.maxUnits)} au plus).`;
    case "safety_stock_raised":
      return `Relevée pour garder le stock de sécurité (${frenchNumber(note.safetyStock)}).`;
    case "below_safety_stock":
      return `Attention : le stock passera sous le stock de sécurité (${frenchNumber(note.safetyStock)}).`;
    case "minimum_order_raised":
      return `Relevée au minimum de commande du fournisseur (${frenchNumber(note.minimumOrder)}).`;
  }
}
