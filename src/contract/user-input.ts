import { type Static, Type } from "@sinclair/typebox";
import { EVENT_IMPACT_RANGE } from "../domain/user-input/declared-event.js";
import { FEEDBACK_DIRECTIONS, FEEDBACK_REASONS } from "../domain/user-input/forecast-feedback.js";
import { Id, IsoDate, Nullable } from "./common.js";

/** POST /api/events and PUT /api/events/:id */
export const DeclaredEventBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    type: Type.String({ pattern: "^[A-Z_]{2,40}$" }),
    start: IsoDate,
    end: IsoDate,
    storeId: Type.Optional(Nullable(Id)),
    categoryId: Type.Optional(Nullable(Id)),
    articleId: Type.Optional(Nullable(Id)),
    impactPct: Type.Optional(
      Nullable(Type.Number({ minimum: EVENT_IMPACT_RANGE.min, maximum: EVENT_IMPACT_RANGE.max })),
    ),
  },
  { additionalProperties: false },
);
export type DeclaredEventBody = Static<typeof DeclaredEventBody>;

/** POST /api/feedback and PUT /api/feedback/:id */
export const FeedbackBody = Type.Object(
  {
    articleId: Id,
    storeId: Id,
    date: IsoDate,
    direction: Type.Union(FEEDBACK_DIRECTIONS.map((d) => Type.Literal(d))),
    reason: Type.Union(FEEDBACK_REASONS.map((r) => Type.Literal(r))),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type FeedbackBody = Static<typeof FeedbackBody>;
