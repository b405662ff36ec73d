import type { QuantityCalculation } from "../api/client.js";
import type { FormatNumber, Translate } from "../i18n/messages.js";

export type QuantityNote = QuantityCalculation["notes"][number];

/**
 * Why a quantity was raised or capped, in the user's language. Every figure goes through the
 * page's number format: the server sends raw numbers, and "0.35 par semaine" or "1250" is not
 * how a French reader writes 0,35 or 1 250 (the CLI's words: src/cli/quantity-note-text.ts).
 * Quantities carry the article's unit where the sentence counts sales.
 */
export function quantityNoteText(
  note: QuantityNote,
  unit: string,
  format: { t: Translate; number: FormatNumber; date: (iso: string) => string },
): string {
  const { t, number, date } = format;
  if (note.code === "sales_missed_while_waiting") {
    return t("note_sales_missed_while_waiting", {
      units: `${number(note.units, 1)} ${unit}`,
      from: date(note.from),
      until: date(note.until),
    });
  }
  const { code, ...figures } = note;
  const words = Object.fromEntries(
    Object.entries(figures).map(([name, value]) => [name, number(value as number, 2)]),
  );
  // Typed, so that a note the server may send without words here fails the build.
  const key: `note_${QuantityNote["code"]}` = `note_${code}`;
  return t(key, words);
}
