import { dayFromIso, isValidIsoDate } from "../calendar/days.js";
import { InputError } from "../input-error.js";

/** An event a user declares (SPEC §7 Alerts page): dates, type, scope, expected impact. */
export interface DeclaredEventInput {
  name: string;
  type: string;
  start: string;
  end: string;
  storeId: number | null;
  categoryId: number | null;
  articleId: number | null;
  /** Expected change of sales in %, applied instead of the learned effect (SPEC §5); null: learned. */
  impactPct: number | null;
}

export const EVENT_TYPE = /^[A-Z_]{2,40}$/;
export const EVENT_IMPACT_RANGE = { min: -100, max: 1000 } as const;
/** Longer spans are a typing error (a year for a month), not an event. */
export const EVENT_MAX_DAYS = 366;

/**
 * Why a declared event cannot be used, or null. The same rules guard what users type (HTTP, CLI)
 * and what the batch reads back: a row written before a rule existed, or by hand, is skipped and
 * reported instead of failing the night.
 */
export function declaredEventProblem(event: DeclaredEventInput): InputError | null {
  if (typeof event.name !== "string" || event.name.trim() === "" || event.name.length > 120)
    return new InputError("name", "must be 1 to 120 characters");
  if (typeof event.type !== "string" || !EVENT_TYPE.test(event.type))
    return new InputError("type", "must be 2 to 40 capital letters or _ (e.g. LOCAL)");
  for (const field of ["start", "end"] as const)
    if (typeof event[field] !== "string" || !isValidIsoDate(event[field]))
      return new InputError(field, `is not a calendar date: ${String(event[field])}`, "not_a_date");
  const days = dayFromIso(event.end) - dayFromIso(event.start);
  if (days < 0) return new InputError("end", "is before start", "end_before_start");
  if (days >= EVENT_MAX_DAYS)
    return new InputError("end", `is more than ${EVENT_MAX_DAYS} days after start`);
  for (const field of ["storeId", "categoryId", "articleId"] as const) {
    const id = event[field];
    if (id !== null && !(Number.isSafeInteger(id) && id > 0))
      return new InputError(field, "must be a positive whole number or null");
  }
  const impact = event.impactPct;
  if (impact !== null) {
    if (typeof impact !== "number" || !Number.isFinite(impact))
      return new InputError("impactPct", "must be a finite number or null", "not_finite");
    if (impact < EVENT_IMPACT_RANGE.min || impact > EVENT_IMPACT_RANGE.max)
      return new InputError(
        "impactPct",
        `must be between ${EVENT_IMPACT_RANGE.min} and ${EVENT_IMPACT_RANGE.max}`,
      );
  }
  return null;
}

/** The event as stored: trimmed name; throws the first problem found. */
export function checkDeclaredEvent(event: DeclaredEventInput): DeclaredEventInput {
  const problem = declaredEventProblem(event);
  if (problem) throw problem;
  return { ...event, name: event.name.trim() };
}
