import { decimalComma } from "../app/french-csv.js";
import type { QuantityCalculation } from "../app/quantity-calculation.js";
import type { EmptySuggestion } from "../domain/replenishment/empty-suggestion.js";
import type { SuggestionNote } from "../domain/replenishment/risk-aware-quantity.js";
import type { ShelfLifeOutcome } from "../domain/replenishment/shelf-life-outcome.js";

/**
 * What a note on a suggested quantity means, in the words of the calculator's page; the sales
 * missed carry the article's `unit`, as there (web: quantity-note-text.ts).
 */
export function quantityNoteText(note: SuggestionNote, unit: string): string {
  switch (note.code) {
    case "shelf_life_capped":
      return `Limitée à ${decimalComma(note.maxUnits, 2)} : au-delà, la marchandise périmerait avant d'être vendue.`;
    case "shelf_life_blocks_order":
      return `Aucune commande : la plus petite possible (${decimalComma(note.smallestOrder, 2)}, colisage et minimum du fournisseur) dépasse ce qui se vend avant péremption (${decimalComma(note.maxUnits, 2)}).`;
    case "exceeds_shelf_life":
      return `Attention : plus que ce qui se vend avant péremption (${decimalComma(note.maxUnits, 2)} au plus).`;
    case "safety_stock_raised":
      return `Relevée pour garder le stock de sécurité (${decimalComma(note.safetyStock, 2)}).`;
    case "below_safety_stock":
      return `Attention : le stock passera sous le stock de sécurité (${decimalComma(note.safetyStock, 2)}).`;
    case "minimum_order_raised":
      return `Relevée au minimum de commande du fournisseur (${decimalComma(note.minimumOrder, 2)}).`;
    case "sales_missed_while_waiting":
      return `Attention : la commande en cours n'arrive que le ${note.until} ; d'ici là, le rayon manquera ${decimalComma(note.units, 1)} ${unit} de ventes prévues à partir du ${note.from}.`;
    case "floor_added":
      return `Prévision quasi nulle : les articles ainsi prévus dans ce magasin se sont encore vendus, ${decimalComma(note.unitsPerWeek, 2)} par semaine en moyenne ; la quantité au niveau de service en tient compte.`;
  }
}

/** What the shelf life did to a row's suggested quantity, in the Alerts page's words. */
export function shelfLifeOutcomeText(outcome: ShelfLifeOutcome): string {
  switch (outcome) {
    case "blocked":
      return "aucune : périmerait avant d'être vendue";
    case "capped":
      return "limitée par la durée de conservation";
    case "exceeds":
      return "en partie périmée avant d'être vendue";
  }
}

/**
 * What covers the target date of a flagged row with nothing to order, in the page's words (the
 * page's "aucune :" is the heading of the lines that list them).
 */
export function emptySuggestionText(reason: EmptySuggestion, targetDate: string): string {
  // The day in ISO, as every date of the CLI's tables.
  return reason === "covered_with_orders"
    ? `ventes prévues couvertes jusqu'au ${targetDate}, commande en cours comprise`
    : `ventes prévues couvertes jusqu'au ${targetDate} par le stock`;
}

/**
 * What the shelf holds when an order placed today arrives, as the calculator says it: the
 * forecast sales it will miss before then (and what an order on its way leaves at the delivery),
 * else the stock expected (web: stock-at-delivery-text.ts).
 */
export function deliveryText(
  r: Pick<QuantityCalculation, "salesLost" | "leadTime" | "stockAtDelivery" | "unit">,
): string {
  if (r.salesLost > 0) {
    // Under 0.05, "0 de ventes perdues" would read as none (web: stock-at-delivery-text.ts).
    const amount = r.salesLost < 0.05 ? "< 0,1" : decimalComma(r.salesLost, 1);
    const lost = `  Rayon vide avant la livraison (dans ${r.leadTime} j) : ${amount} ${r.unit} de ventes prévues perdues`;
    const left = r.stockAtDelivery + r.salesLost;
    return left >= 0.05
      ? `${lost} ; la commande en cours en laissera ${decimalComma(left, 1)} ${r.unit} à la livraison (la formule compte les ventes perdues comme encore à servir)`
      : lost;
  }
  // Below zero with no sale lost: the data's negative on-hand stock, said as it is.
  return `  Stock attendu à la livraison (dans ${r.leadTime} j) : ${decimalComma(r.stockAtDelivery, 1)}`;
}
