/**
 * A table as a French spreadsheet opens it: UTF-8 with a byte-order mark (or accents break),
 * `;` between fields (the comma is the decimal separator), decimal commas, CRLF ends of line;
 * fields quoted only when they hold `;`, a quote or a line break.
 */
export function frenchCsv(
  columns: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  return frenchCsvHead(columns) + rows.map(frenchCsvLine).join("");
}

/** The byte-order mark and the header line: what a streamed export sends first. */
export function frenchCsvHead(columns: readonly string[]): string {
  return `\uFEFF${columns.join(";")}\r\n`;
}

/** One row, with its end of line: a streamed export sends them a batch at a time. */
export function frenchCsvLine(row: readonly (string | number | null)[]): string {
  return `${row.map(frenchField).join(";")}\r\n`;
}

function frenchField(value: string | number | null): string {
  if (value === null) return "";
  const text = typeof value === "number" ? decimalComma(value) : value;
  return /[";\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A number with a decimal comma, rounded to at most `digits` decimals (the CLI's French lines too). */
export function decimalComma(value: number, digits = 3): string {
  const scale = 10 ** digits;
  return String(Math.round(value * scale) / scale).replace(".", ",");
}
