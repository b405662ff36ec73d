import { describe, expect, it } from "vitest";
import { stockAtDeliveryText } from "../web/src/components/stock-at-delivery-text.js";
import { fillMessage } from "../web/src/i18n/fill-message.js";
import { en, fr, type Messages } from "../web/src/i18n/messages.js";

/** The pages' translation, with the real messages. */
function translator(messages: Messages) {
  return (key: keyof Messages, params?: Record<string, string | number>) =>
    fillMessage(messages[key], params);
}
const number = (v: number | null | undefined) => String(v);
const say = (stock: number, salesLost?: number, messages = en) =>
  stockAtDeliveryText(translator(messages), number, 14, stock, "u", salesLost);

describe("what the calculator and the urgencies say of the stock at delivery", () => {
  it("says the sales lost while the shelf waits, and what the order on its way leaves", () => {
    // 3 on the shelf, 120 due in 8 days, 9 a day: SPEC's stock at delivery is −3, but the shelf
    // misses 69 sales before the 120 come, and 66 are left when an order placed today arrives.
    expect(say(-3, 69)).toBe(
      "Empty shelf before the delivery (in 14 d): 69 u of forecast sales lost; the order on its way will leave 66 u at the delivery (the formula counts the lost sales as still to serve)",
    );
    expect(say(-3, 69, fr)).toBe(
      "Rayon vide avant la livraison (dans 14 j) : 69 u de ventes prévues perdues ; la commande en cours en laissera 66 u à la livraison (la formule compte les ventes perdues comme encore à servir)",
    );
    // Nothing on its way: the shelf is empty at the delivery, the lost sales are the shortfall.
    expect(say(-3, 3)).toBe(
      "Empty shelf before the delivery (in 14 d): 3 u of forecast sales lost",
    );
  });

  it("says a loss too small to round to a tenth as under a tenth, not as none", () => {
    // 1 on the shelf of a critical row, 0.03 forecast sales missed on the day before delivery.
    expect(say(-0.03, 0.03, fr)).toBe(
      "Rayon vide avant la livraison (dans 14 j) : < 0.1 u de ventes prévues perdues",
    );
    expect(say(-0.03, 0.05)).toBe(
      "Empty shelf before the delivery (in 14 d): 0.05 u of forecast sales lost",
    );
  });

  it("says the stock left when nothing is lost, a negative one as the data has it", () => {
    expect(say(20, 0)).toBe("Stock expected at delivery (in 14 d): 20");
    expect(say(-50, 0)).toBe("Stock expected at delivery (in 14 d): -50");
  });

  it("says SPEC's shortfall for a run published before the lost sales were kept", () => {
    expect(say(-14.9, undefined, fr)).toBe(
      "Rupture avant la livraison (dans 14 j) : il manquera 14.9 u sur les ventes prévues",
    );
    expect(say(12)).toBe("Stock expected at delivery (in 14 d): 12");
  });
});
