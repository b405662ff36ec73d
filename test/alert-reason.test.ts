import { describe, expect, it } from "vitest";
import type { AlertView } from "../web/src/api/client.js";
import { fillMessage } from "../web/src/i18n/fill-message.js";
import { en, fr, type Messages } from "../web/src/i18n/messages.js";
import { alertReason } from "../web/src/pages/alert-reason.js";

/** The pages' translation, with the real messages. */
function translator(messages: Messages) {
  return (key: keyof Messages, params?: Record<string, string | number>) =>
    fillMessage(messages[key], params);
}
const number = (v: number | null | undefined) => String(v);

function row(fields: Partial<AlertView>): AlertView {
  return { level: "CRITIQUE", leadTime: 14, onHand: 0, daysToStockout: 0, ...fields } as AlertView;
}

describe("the reason each alert gives", () => {
  it("says out of stock only for an empty shelf, and 'runs out today' when units remain", () => {
    const t = translator(fr);
    expect(alertReason(row({ onHand: 0 }), t, number)).toBe("En rupture, livraison dans 14 j");
    expect(alertReason(row({ onHand: -2 }), t, number)).toBe("En rupture, livraison dans 14 j");
    expect(alertReason(row({ onHand: 3 }), t, number)).toBe(
      "Rupture aujourd'hui, livraison dans 14 j",
    );
    expect(alertReason(row({ onHand: 3 }), translator(en), number)).toBe(
      "Runs out today, delivery in 14 d",
    );
  });

  it("counts the days for a later stock-out, the units left for a warning", () => {
    const t = translator(fr);
    expect(alertReason(row({ onHand: 30, daysToStockout: 4 }), t, number)).toBe(
      "Rupture dans 4 j, livraison dans 14 j",
    );
    expect(alertReason(row({ level: "ATTENTION", reste: 1.5, unit: "kg" }), t, number)).toBe(
      "Il restera 1.5 kg à la livraison (< 3 j de ventes)",
    );
    expect(alertReason(row({ level: "OK", daysToStockout: null }), t, number)).toBe(
      "Couvert au-delà de l'horizon",
    );
  });
});
