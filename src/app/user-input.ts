import type { Db } from "../data/open.js";
import {
  articleExists,
  categoryExists,
  type DeclaredEvent,
  deleteEvent,
  deleteFeedback,
  type FeedbackRecord,
  getEvent,
  getFeedback,
  storeExists,
  updateEvent,
  updateFeedback,
} from "../data/optiflow/user-input-repository.js";
import { InputError } from "../domain/input-error.js";
import {
  checkDeclaredEvent,
  type DeclaredEventInput,
} from "../domain/user-input/declared-event.js";
import { checkFeedback, type FeedbackInput } from "../domain/user-input/forecast-feedback.js";

/** Asked for an event or a feedback that does not exist (HTTP 404, CLI exit 2). */
export class NotFoundError extends Error {
  constructor(
    readonly what: "event" | "feedback",
    readonly id: number,
  ) {
    super(`no ${what} with id ${id}`);
    this.name = "NotFoundError";
  }
}

/**
 * Declaring, correcting and withdrawing events and feedback: the same rules whether the page or
 * the CLI asks. The checks apply the domain rules, then make sure that what the input names
 * exists; the writes run inside the caller's audited transaction, after a backup.
 */
export function checkEventReferences(db: Db, event: DeclaredEventInput): DeclaredEventInput {
  const checked = checkDeclaredEvent(event);
  if (checked.storeId !== null && !storeExists(db, checked.storeId))
    throw new InputError("storeId", `no store with id ${checked.storeId}`, "unknown_store");
  if (checked.categoryId !== null && !categoryExists(db, checked.categoryId))
    throw new InputError("categoryId", `no category with id ${checked.categoryId}`);
  if (checked.articleId !== null && !articleExists(db, checked.articleId))
    throw new InputError("articleId", `no article with id ${checked.articleId}`, "unknown_article");
  return checked;
}

export function checkFeedbackReferences(db: Db, feedback: FeedbackInput): FeedbackInput {
  const checked = checkFeedback(feedback);
  if (!articleExists(db, checked.articleId))
    throw new InputError("articleId", `no article with id ${checked.articleId}`, "unknown_article");
  if (!storeExists(db, checked.storeId))
    throw new InputError("storeId", `no store with id ${checked.storeId}`, "unknown_store");
  return checked;
}

export function correctEvent(db: Db, id: number, event: DeclaredEventInput): DeclaredEvent {
  const updated = updateEvent(db, id, event);
  if (!updated) throw new NotFoundError("event", id);
  return updated;
}

export function withdrawEvent(db: Db, id: number): DeclaredEvent {
  const existing = getEvent(db, id);
  if (!existing || !deleteEvent(db, id)) throw new NotFoundError("event", id);
  return existing;
}

export function correctFeedback(db: Db, id: number, feedback: FeedbackInput): FeedbackRecord {
  const updated = updateFeedback(db, id, feedback);
  if (!updated) throw new NotFoundError("feedback", id);
  return updated;
}

export function withdrawFeedback(db: Db, id: number): FeedbackRecord {
  const existing = getFeedback(db, id);
  if (!existing || !deleteFeedback(db, id)) throw new NotFoundError("feedback", id);
  return existing;
}
