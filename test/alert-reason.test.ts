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
    expect(
      alertReason(
        row({ level: "ATTENTION", reste: 1.5, unit: "kg", daysToStockout: 15 }),
        t,
        number,
      ),
    ).toBe("Il restera 1.5 kg à la livraison (< 3 j de ventes)");
    expect(alertReason(row({ level: "OK", daysToStockout: null }), t, number)).toBe(
      "Couvert au-delà de l'horizon",
    );
    expect(alertReason(row({ level: "OK", onHand: 40, daysToStockout: 18 }), t, number)).toBe(
      "Couvert 18 j",
    );
  });

  it("says when an OK or warning shelf empties before the order on its way arrives", () => {
    // 9 gels on hand, 36 due in 5 days, lead time 14: OK by SPEC §4 (the 36 count), yet the
    // shelf is empty from day 2 to day 5. Not "covered for 2 d".
    const gel = row({ level: "OK", onHand: 9, daysToStockout: 2 });
    expect(alertReason(gel, translator(en), number)).toBe(
      "Runs out in 2 d, before the order on its way arrives",
    );
    expect(alertReason(gel, translator(fr), number)).toBe(
      "Rupture dans 2 j, avant l'arrivée de la commande en cours",
    );
    const warning = row({
      level: "ATTENTION",
      reste: 3.7,
      unit: "u",
      onHand: 1,
      daysToStockout: 1,
    });
    expect(alertReason(warning, translator(en), number)).toBe(
      "3.7 u left at delivery (< 3 days of sales) · Runs out in 1 d, before the order on its way arrives",
    );
    expect(
      alertReason(
        row({ level: "ATTENTION", reste: 1, unit: "u", onHand: 2 }),
        translator(en),
        number,
      ),
    ).toBe(
      "1 u left at delivery (< 3 days of sales) · Runs out today, before the order on its way arrives",
    );
    expect(alertReason(row({ level: "OK", onHand: -2 }), translator(en), number)).toBe(
      "Out of stock until the order on its way arrives",
    );
    // From the lead time on, an order placed today can arrive: the warning says enough.
    expect(
      alertReason(
        row({ level: "ATTENTION", reste: 2, unit: "u", daysToStockout: 14 }),
        translator(en),
        number,
      ),
    ).toBe("2 u left at delivery (< 3 days of sales)");
  });
});
