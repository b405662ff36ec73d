import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { dayFromIso, isValidIsoDate } from "../../src/domain/calendar/days.js";

/** Column positions by (lower-case) header name: the required ones always there. */
export type Columns<R extends string> = Record<R, number> & Partial<Record<string, number>>;

const CHUNK_BYTES = 8 * 2 ** 20;

/**
 * Calls `onRow` on each line after the header of a delimited file, with its line number (1 is
 * the header) and the header's columns; returns them. The file is read in chunks, since a set can
 * outgrow the longest string Node holds (about 512 MB). The delimiter is a comma, or a semicolon
 * when the header has one and no comma (a spreadsheet's French export); quotes are dropped, cells
 * trimmed, Windows line ends and blank lines accepted. A required column missing stops with the
 * file's name and header.
 */
export function eachCsvRow<R extends string>(
  path: string,
  required: readonly R[],
  onRow: (cells: string[], line: number, column: Columns<R>) => void,
  chunkBytes = CHUNK_BYTES,
): Columns<R> {
  let column: Columns<R> | null = null;
  let delimiter = ",";
  eachLine(path, chunkBytes, (text, line) => {
    if (text.trim() === "") return;
    if (column === null) {
      delimiter = text.includes(";") && !text.includes(",") ? ";" : ",";
      const header = cellsOf(text, delimiter).map((h) => h.toLowerCase());
      const missing = required.filter((name) => !header.includes(name));
      if (missing.length > 0)
        throw new Error(`${path}: no ${missing.join(", ")} column (header: ${header.join(",")})`);
      column = Object.fromEntries(header.map((name, i) => [name, i])) as Columns<R>;
      return;
    }
    onRow(cellsOf(text, delimiter), line, column);
  });
  if (column === null) throw new Error(`${path}: empty, no header`);
  return column;
}

function cellsOf(text: string, delimiter: string): string[] {
  return text
    .replaceAll('"', "")
    .split(delimiter)
    .map((cell) => cell.trim());
}

function eachLine(
  path: string,
  chunkBytes: number,
  onLine: (text: string, line: number) => void,
): void {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(chunkBytes);
    // A character cut by a chunk's end waits in the decoder for the next chunk.
    const decoder = new StringDecoder("utf8");
    let rest = "";
    let line = 0;
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      const lines = (rest + decoder.write(buffer.subarray(0, read))).split("\n");
      rest = lines.pop() ?? "";
      for (const text of lines) onLine(text.replace(/\r$/, ""), ++line);
    }
    rest += decoder.end();
    if (rest !== "") onLine(rest.replace(/\r$/, ""), ++line);
  } finally {
    closeSync(fd);
  }
}

/** A number cell, a decimal comma accepted; empty or not a number: NaN. */
export function numberOf(cell: string | undefined): number {
  if (cell === undefined || cell === "") return Number.NaN;
  const value = Number(cell.replace(",", "."));
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The day number of a YYYY-MM-DD cell; anything else stops with the file and line. */
export function dayOfCell(cell: string | undefined, path: string, line: number): number {
  if (cell === undefined || !isValidIsoDate(cell))
    throw new Error(`${path}, line ${line}: "${cell ?? ""}" is no YYYY-MM-DD date`);
  return dayFromIso(cell);
}
