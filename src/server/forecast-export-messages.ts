import { ApiError, type ApiErrorCode } from "./api-error.js";

/**
 * What a forecast download's thread and the server say to each other (forecast-export-worker.ts,
 * forecast-export-in-worker.ts). The server asks "next" for each chunk, or "stop".
 */
export type ExportOrder = "next" | "stop";

/** What the export's thread says, one message at a time. */
export type ExportMessage =
  | { type: "ready"; fileName: string }
  | { type: "chunk"; text: string }
  | { type: "end" }
  | { type: "failed"; error: SentError };

/** An error as it crosses threads: structured cloning keeps an Error's message, not its fields. */
export interface SentError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  field?: string;
}

/** An error made fit to cross threads: the fields the server's error handler reads. */
export function sentError(error: unknown): SentError {
  const e = error as Error & { code?: unknown };
  const sent: SentError = { name: e?.name ?? "Error", message: e?.message ?? String(error) };
  if (error instanceof ApiError) {
    sent.status = error.statusCode;
    if (error.field) sent.field = error.field;
  }
  if (typeof e?.code === "string") sent.code = e.code;
  return sent;
}

/** The error as thrown on the other thread: an ApiError again, or an Error with its SQLite code. */
export function receivedError(sent: SentError): Error {
  if (sent.status !== undefined)
    return new ApiError(sent.status, sent.code as ApiErrorCode, sent.message, sent.field);
  const error = new Error(sent.message) as Error & { code?: string };
  error.name = sent.name;
  if (sent.code !== undefined) error.code = sent.code;
  return error;
}
