import { describe, expect, it } from "vitest";
import { type QuantityNote, quantityNoteText } from "../web/src/components/quantity-note-text.js";
import { fillMessage } from "../web/src/i18n/fill-message.js";
import { en, fr, type Messages } from "../web/src/i18n/messages.js";

/** The page's translation and figures, with the real messages, in a reader's locale. */
function format(messages: Messages, locale: string) {
  return {
    t: (key: keyof Messages, params?: Record<string, string | number>) =>
      fillMessage(messages[key], params),
    number: (v: number | null | undefined, digits = 0) =>
      (v ?? Number.NaN).toLocaleString(locale, { maximumFractionDigits: digits }),
    date: (iso: string) => `<${iso}>`,
  };
}
const french = format(fr, "fr-FR");
const english = format(en, "en-GB");
// fr-FR groups thousands with a narrow no-break space.
const thin = "\u202f";

describe("the calculator's notes on a quantity, as the reader writes figures", () => {
  it("writes a fractional figure with the reader's decimal mark", () => {
    const floor: QuantityNote = { code: "floor_added", unitsPerWeek: 0.35 };
    expect(quantityNoteText(floor, "u", french)).toMatch(/, 0,35 par semaine en moyenne ;/);
    expect(quantityNoteText(floor, "u", english)).toMatch(/ still sold 0.35 a week on average;/);
  });

  it("groups thousands and keeps two decimals at most", () => {
    const safety: QuantityNote = { code: "below_safety_stock", safetyStock: 1250.456 };
    expect(quantityNoteText(safety, "kg", french)).toBe(
      `Attention : le stock passera sous le stock de sécurité (1${thin}250,46).`,
    );
    const minimum: QuantityNote = { code: "minimum_order_raised", minimumOrder: 1200 };
    expect(quantityNoteText(minimum, "u", english)).toBe(
      "Raised to the supplier's minimum order (1,200).",
    );
  });

  it("counts the sales the shelf misses while it waits in the article's unit", () => {
    const wait: QuantityNote = {
      code: "sales_missed_while_waiting",
      units: 12.25,
      from: "2026-12-09",
      until: "2026-12-12",
    };
    expect(quantityNoteText(wait, "kg", french)).toBe(
      "Attention : la commande en cours n'arrive que le <2026-12-12> ; d'ici là, le rayon manquera 12,3 kg de ventes prévues à partir du <2026-12-09>.",
    );
  });

  it("leaves no placeholder unfilled in either language", () => {
    const notes: QuantityNote[] = [
      { code: "shelf_life_capped", maxUnits: 4 },
      { code: "shelf_life_blocks_order", smallestOrder: 12, maxUnits: 4 },
      { code: "exceeds_shelf_life", maxUnits: 4 },
      { code: "safety_stock_raised", safetyStock: 3 },
      { code: "below_safety_stock", safetyStock: 3 },
      { code: "minimum_order_raised", minimumOrder: 6 },
      { code: "sales_missed_while_waiting", units: 2, from: "2026-12-09", until: "2026-12-12" },
      { code: "floor_added", unitsPerWeek: 0.5 },
    ];
    for (const words of [french, english])
      for (const note of notes) expect(quantityNoteText(note, "u", words)).not.toMatch(/[{}]/);
  });
});
