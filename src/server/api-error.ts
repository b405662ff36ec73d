import { InputError } from "../domain/input-error.js";

/**
 * An HTTP error with a stable code that the pages translate (the message is for logs, scripts
 * and the CLI; the code is what a French or English page turns into words). `field` names the
 * part of the request at fault, as a path: `body/impactPct`, `querystring/store`.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
    readonly values?: Record<string, number>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Every code the API answers with. Append only: pages and scripts depend on them. */
export const API_ERROR_CODES = [
  "invalid_input",
  "not_a_date",
  "date_in_past",
  "date_beyond_horizon",
  "end_before_start",
  "not_finite",
  "unknown_article",
  "unknown_store",
  "not_found",
  "below_minimum",
  "not_pack_multiple",
  "login_required",
  "forbidden",
  "bad_credentials",
  "too_many_attempts",
  "host_not_allowed",
  "not_published",
  "database_busy",
  "database_damaged",
  "database_from_newer_version",
  "database_not_writable",
  "backup_failed",
  "internal",
  "too_many_downloads",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/**
 * A 503 for work the server has no room for now, not a fault: it says when to come back
 * (`Retry-After`, in seconds).
 */
export class BusyError extends ApiError {
  constructor(
    code: ApiErrorCode,
    message: string,
    readonly retryAfter: number,
  ) {
    super(503, code, message);
    this.name = "BusyError";
  }
}

/** A 400 about one field of the request. */
export function invalidField(field: string, message: string, code: ApiErrorCode = "invalid_input") {
  return new ApiError(400, code, `${field} ${message}`, field);
}

/**
 * Runs a domain check on one part of the request: its InputError becomes a 400 naming the field
 * as the client wrote it (`body/impactPct`), with the domain's code. `names` maps a domain field
 * to the request's name for it where they differ (the calculator's `targetDate` is `date`).
 */
export function checkRequestPart<T>(
  part: "body" | "querystring" | "params",
  check: () => T,
  names: Readonly<Record<string, string>> = {},
): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InputError) {
      const field = `${part}/${names[error.field] ?? error.field}`;
      throw new ApiError(
        400,
        error.code as ApiErrorCode,
        `${field} ${error.detail}`,
        field,
        Object.keys(error.values).length > 0 ? error.values : undefined,
      );
    }
    throw error;
  }
}
