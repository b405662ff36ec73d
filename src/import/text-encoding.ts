import { createReadStream } from "node:fs";
import { Readable } from "node:stream";

export type TextEncoding = "utf-8" | "windows-1252";

/** How much of a file is looked at to choose its encoding. */
const SNIFF_BYTES = 1 << 20;

export class EncodingError extends Error {
  constructor(readonly line: number) {
    super(
      "is not valid UTF-8 at this line although the start of the file is: save the file as UTF-8 (or entirely as Windows-1252/Latin-1)",
    );
    this.name = "EncodingError";
  }
}

/**
 * French spreadsheets often save CSV as Windows-1252 (Latin-1 with €, œ): read as UTF-8, "crème"
 * would become "cr�me" in the retailer's base. The start of the file decides: valid UTF-8 there
 * means UTF-8 throughout (a later invalid byte is an error naming its line); anything else is
 * Windows-1252, which every byte sequence decodes in.
 */
export async function detectEncoding(file: string): Promise<TextEncoding> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of createReadStream(file, { start: 0, end: SNIFF_BYTES - 1 })) {
      // `stream: true`: a character cut at the end of the sample is not an error.
      decoder.decode(chunk as Buffer, { stream: true });
    }
  } catch (error) {
    if (error instanceof TypeError) return "windows-1252";
    throw error;
  }
  return "utf-8";
}

/** The file as text, decoded chunk by chunk; an invalid UTF-8 byte throws EncodingError. */
export function decodedText(file: string, encoding: TextEncoding): Readable {
  async function* decode() {
    const decoder = new TextDecoder(encoding, { fatal: encoding === "utf-8" });
    let line = 1;
    for await (const chunk of createReadStream(file)) {
      const bytes = chunk as Buffer;
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        throw new EncodingError(line + countNewlines(bytes, firstInvalidUtf8(bytes)));
      }
      line += countNewlines(bytes, bytes.length);
      yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }
  return Readable.from(decode(), { objectMode: false });
}

function countNewlines(bytes: Buffer, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

/** Offset of the first byte that starts no valid UTF-8 sequence (an estimate is enough: a line). */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const size = b < 0x80 ? 1 : b >> 5 === 6 ? 2 : b >> 4 === 14 ? 3 : b >> 3 === 30 ? 4 : 0;
    if (size === 0) return i;
    for (let k = 1; k < size; k++) {
      if (i + k >= bytes.length) return i;
      if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    }
    i += size;
  }
  return bytes.length;
}
