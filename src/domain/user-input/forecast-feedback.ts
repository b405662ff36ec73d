import { isValidIsoDate } from "../calendar/days.js";
import { InputError } from "../input-error.js";

export const FEEDBACK_DIRECTIONS = ["TROP_HAUT", "TROP_BAS"] as const;
export const FEEDBACK_REASONS = [
  "PROMOTION_NON_SAISIE",
  "RUPTURE",
  "EVENEMENT_EXCEPTIONNEL",
  "ERREUR_DONNEES",
] as const;

/** A user's word on a past day's forecast: that day is left out of the next fits (step C). */
export interface FeedbackInput {
  articleId: number;
  storeId: number;
  date: string;
  direction: (typeof FEEDBACK_DIRECTIONS)[number];
  reason: (typeof FEEDBACK_REASONS)[number];
  comment: string | null;
}

/** Why a feedback row cannot be used, or null (same rules for users and for the batch). */
export function feedbackProblem(feedback: FeedbackInput): InputError | null {
  for (const field of ["articleId", "storeId"] as const) {
    const id = feedback[field];
    if (!(Number.isSafeInteger(id) && id > 0))
      return new InputError(field, "must be a positive whole number");
  }
  if (typeof feedback.date !== "string" || !isValidIsoDate(feedback.date))
    return new InputError("date", `is not a calendar date: ${String(feedback.date)}`, "not_a_date");
  if (!(FEEDBACK_DIRECTIONS as readonly string[]).includes(feedback.direction))
    return new InputError("direction", `must be one of ${FEEDBACK_DIRECTIONS.join(", ")}`);
  if (!(FEEDBACK_REASONS as readonly string[]).includes(feedback.reason))
    return new InputError("reason", `must be one of ${FEEDBACK_REASONS.join(", ")}`);
  if (
    feedback.comment !== null &&
    (typeof feedback.comment !== "string" || feedback.comment.length > 500)
  )
    return new InputError("comment", "must be at most 500 characters");
  return null;
}

export function checkFeedback(feedback: FeedbackInput): FeedbackInput {
  const problem = feedbackProblem(feedback);
  if (problem) throw problem;
  return { ...feedback, comment: feedback.comment?.trim() || null };
}
