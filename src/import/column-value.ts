import { isValidIsoDate } from "../domain/calendar/days.js";

/** A legacy column as the importer sees it (from PRAGMA table_info on the contract schema). */
export interface ImportColumn {
  name: string;
  type: "INTEGER" | "REAL" | "TEXT";
  notNull: boolean;
  hasDefault: boolean;
  defaultValue: string | number | null;
}

export type CellResult =
  | { ok: true; value: string | number | null }
  | { ok: false; message: string };

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/;
/** A French spreadsheet's date, day first ("25/11/2026", "5/1/2026"), with a time or not. */
const FRENCH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})( \d{2}:\d{2}(:\d{2})?)?$/;

/**
 * "1 234,56" → "1234,56": a French spreadsheet groups thousands with a space (or a no-break
 * space) in a cell formatted as a number, and keeps it when saving as CSV. Only between digits,
 * and only in the semicolon dialect, where the comma is the decimal mark.
 */
function withoutThousandsSpaces(text: string, decimalComma: boolean): string {
  return decimalComma ? text.replace(/(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))/g, "") : text;
}

/**
 * Converts one CSV cell to the value stored in the legacy column, or explains why it cannot be.
 * An empty cell is NULL, or the column's default when it has one and is NOT NULL.
 */
export function convertCell(column: ImportColumn, raw: string, decimalComma: boolean): CellResult {
  const trimmed = raw.trim();
  const text = column.type === "TEXT" ? trimmed : withoutThousandsSpaces(trimmed, decimalComma);
  if (text === "") {
    if (!column.notNull) return { ok: true, value: null };
    if (column.hasDefault) return { ok: true, value: column.defaultValue };
    return { ok: false, message: "is required (NOT NULL) but empty" };
  }
  switch (column.type) {
    case "INTEGER": {
      if (!INTEGER.test(text))
        return { ok: false, message: `expected a whole number, got "${raw}"` };
      const value = Number(text);
      if (!Number.isSafeInteger(value))
        return { ok: false, message: `number out of range: "${raw}"` };
      return { ok: true, value };
    }
    case "REAL": {
      const normalised = decimalComma ? text.replace(",", ".") : text;
      if (!DECIMAL.test(normalised) || (!decimalComma && text.includes(","))) {
        return { ok: false, message: `expected a number, got "${raw}"` };
      }
      const value = Number(normalised);
      if (!Number.isFinite(value))
        return { ok: false, message: `expected a finite number, got "${raw}"` };
      return { ok: true, value };
    }
    default:
      return convertText(column, text, raw);
  }
}

/**
 * "25/11/2026" → "2026-11-25" (the time, if any, kept): a French spreadsheet saves its dates day
 * first, and the legacy tables hold them as ISO text. Always day first, as Optiflow's users write
 * them: a month-first file fails on its first day past the 12th, which any sales history has.
 */
function isoFromFrench(text: string): string | null {
  const match = FRENCH_DATE.exec(text);
  if (!match) return null;
  const [, day = "", month = "", year = "", time = ""] = match;
  return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}${time}`;
}

function convertText(column: ImportColumn, text: string, raw: string): CellResult {
  const isDate = column.name === "date" || column.name.startsWith("date_");
  if (!isDate) return { ok: true, value: text };
  const value = TIMESTAMP.test(text) ? text : (isoFromFrench(text) ?? text);
  if (column.name === "date_maj") {
    if (!TIMESTAMP.test(value) || !isValidIsoDate(value.slice(0, 10))) {
      return {
        ok: false,
        message: `expected a timestamp YYYY-MM-DD HH:MM:SS or DD/MM/YYYY HH:MM:SS, got "${raw}"`,
      };
    }
  } else if (!isValidIsoDate(value)) {
    return { ok: false, message: `expected a date YYYY-MM-DD or DD/MM/YYYY, got "${raw}"` };
  }
  return { ok: true, value };
}
