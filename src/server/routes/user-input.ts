import type { FastifyInstance } from "fastify";
import {
  checkEventReferences,
  checkFeedbackReferences,
  correctEvent,
  correctFeedback,
  withdrawEvent,
  withdrawFeedback,
} from "../../app/user-input.js";
import { IdParams } from "../../contract/common.js";
import { DeclaredEventBody, FeedbackBody } from "../../contract/user-input.js";
import {
  catalog,
  insertEvent,
  insertFeedback,
  listEvents,
  listFeedback,
} from "../../data/optiflow/user-input-repository.js";
import type { DeclaredEventInput } from "../../domain/user-input/declared-event.js";
import type { FeedbackInput } from "../../domain/user-input/forecast-feedback.js";
import { checkRequestPart } from "../api-error.js";
import type { ServerDeps } from "../server-deps.js";
import { actorOf, userWrite } from "../user-writes.js";

function eventInput(body: DeclaredEventBody): DeclaredEventInput {
  return {
    name: body.name,
    type: body.type,
    start: body.start,
    end: body.end,
    storeId: body.storeId ?? null,
    categoryId: body.categoryId ?? null,
    articleId: body.articleId ?? null,
    impactPct: body.impactPct ?? null,
  };
}

function feedbackInput(body: FeedbackBody): FeedbackInput {
  return { ...body, comment: body.comment ?? null };
}

/** Events and feedback users declare: listed, added, corrected and withdrawn (audited). */
export function registerUserInputRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/catalog", async () => catalog(deps.db));
  registerEventRoutes(app, deps);
  registerFeedbackRoutes(app, deps);
}

function registerEventRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/events", async () => ({ events: listEvents(deps.db) }));

  app.post<{ Body: DeclaredEventBody }>(
    "/api/events",
    { schema: { body: DeclaredEventBody } },
    async (request, reply) => {
      const event = checkRequestPart("body", () =>
        checkEventReferences(deps.db, eventInput(request.body)),
      );
      const by = actorOf(request);
      const row = await userWrite(deps, by, "declare_event", event, (db, at) =>
        insertEvent(db, event, at, by),
      );
      reply.status(201);
      return row;
    },
  );

  app.put<{ Params: IdParams; Body: DeclaredEventBody }>(
    "/api/events/:id",
    { schema: { params: IdParams, body: DeclaredEventBody } },
    async (request) => {
      const event = checkRequestPart("body", () =>
        checkEventReferences(deps.db, eventInput(request.body)),
      );
      const { id } = request.params;
      return userWrite(deps, actorOf(request), "correct_event", { id, ...event }, (db) =>
        correctEvent(db, id, event),
      );
    },
  );

  app.delete<{ Params: IdParams }>(
    "/api/events/:id",
    { schema: { params: IdParams } },
    async (request) => {
      const { id } = request.params;
      const removed = await userWrite(deps, actorOf(request), "withdraw_event", { id }, (db) =>
        withdrawEvent(db, id),
      );
      return { removed };
    },
  );
}

function registerFeedbackRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/feedback", async () => ({ feedback: listFeedback(deps.db) }));

  app.post<{ Body: FeedbackBody }>(
    "/api/feedback",
    { schema: { body: FeedbackBody } },
    async (request, reply) => {
      const feedback = checkRequestPart("body", () =>
        checkFeedbackReferences(deps.db, feedbackInput(request.body)),
      );
      const by = actorOf(request);
      const row = await userWrite(deps, by, "forecast_feedback", feedback, (db, at) =>
        insertFeedback(db, feedback, at, by),
      );
      reply.status(201);
      return row;
    },
  );

  app.put<{ Params: IdParams; Body: FeedbackBody }>(
    "/api/feedback/:id",
    { schema: { params: IdParams, body: FeedbackBody } },
    async (request) => {
      const feedback = checkRequestPart("body", () =>
        checkFeedbackReferences(deps.db, feedbackInput(request.body)),
      );
      const { id } = request.params;
      return userWrite(deps, actorOf(request), "correct_feedback", { id, ...feedback }, (db) =>
        correctFeedback(db, id, feedback),
      );
    },
  );

  app.delete<{ Params: IdParams }>(
    "/api/feedback/:id",
    { schema: { params: IdParams } },
    async (request) => {
      const { id } = request.params;
      const removed = await userWrite(deps, actorOf(request), "withdraw_feedback", { id }, (db) =>
        withdrawFeedback(db, id),
      );
      return { removed };
    },
  );
}
