import { describe, expect, it } from "vitest";
import { decimalComma } from "../app/french-csv.js";
import { deliveryText, quantityNoteText } from "./quantity-note-text.js";

describe("the CLI's quantity notes", () => {
  it("writes numbers with a decimal comma, rounded, without grouping", () => {
    expect(decimalComma(-17.44, 1)).toBe("-17,4");
    expect(decimalComma(12345.678, 2)).toBe("12345,68");
    expect(decimalComma(19, 2)).toBe("19");
  });

  it("says what each note means, with its figure", () => {
    expect(quantityNoteText({ code: "minimum_order_raised", minimumOrder: 10 }, "u")).toBe(
      "Relevée au minimum de commande du fournisseur (10).",
    );
    expect(quantityNoteText({ code: "exceeds_shelf_life", maxUnits: 302.5 }, "u")).toBe(
      "Attention : plus que ce qui se vend avant péremption (302,5 au plus).",
    );
    expect(
      quantityNoteText({ code: "shelf_life_blocks_order", maxUnits: 1.5, smallestOrder: 10 }, "u"),
    ).toBe(
      "Aucune commande : la plus petite possible (10, colisage et minimum du fournisseur) dépasse ce qui se vend avant péremption (1,5).",
    );
    expect(quantityNoteText({ code: "below_safety_stock", safetyStock: 20 }, "u")).toMatch(
      /sous le stock de sécurité \(20\)/,
    );
    expect(
      quantityNoteText(
        {
          code: "sales_missed_while_waiting",
          units: 12.25,
          from: "2026-12-09",
          until: "2026-12-12",
        },
        "kg",
      ),
    ).toBe(
      "Attention : la commande en cours n'arrive que le 2026-12-12 ; d'ici là, le rayon manquera 12,3 kg de ventes prévues à partir du 2026-12-09.",
    );
    expect(quantityNoteText({ code: "floor_added", unitsPerWeek: 0.35 }, "u")).toMatch(
      /^Prévision quasi nulle : .* 0,35 par semaine en moyenne/,
    );
  });

  it("says the sales lost before the delivery, a loss under a tenth as such", () => {
    expect(deliveryText({ leadTime: 7, salesLost: 1.94, stockAtDelivery: -1.94, unit: "u" })).toBe(
      "  Rayon vide avant la livraison (dans 7 j) : 1,9 u de ventes prévues perdues",
    );
    // A critical row whose shelf empties on the eve of the delivery: not "0 de ventes perdues".
    expect(deliveryText({ leadTime: 7, salesLost: 0.03, stockAtDelivery: -0.03, unit: "u" })).toBe(
      "  Rayon vide avant la livraison (dans 7 j) : < 0,1 u de ventes prévues perdues",
    );
    expect(deliveryText({ leadTime: 7, salesLost: 0, stockAtDelivery: 3.25, unit: "u" })).toBe(
      "  Stock attendu à la livraison (dans 7 j) : 3,3",
    );
  });
});
