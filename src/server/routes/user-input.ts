import type { FastifyInstance } from "fastify";
import {
  catalog,
  type DeclaredEventInput,
  type FeedbackInput,
  insertEvent,
  insertFeedback,
  listEvents,
  listFeedback,
} from "../../data/optiflow/user-input-repository.js";
import { dayFromIso, isValidIsoDate } from "../../domain/calendar/days.js";
import type { ServerDeps } from "../server-deps.js";
import { userWrite } from "../user-writes.js";

const DATE = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" } as const;
const ID = { type: "integer", minimum: 1 } as const;

class InputError extends Error {
  readonly statusCode = 400;
}

function checkDate(field: string, value: string): void {
  if (!isValidIsoDate(value))
    throw new InputError(`body/${field} is not a calendar date: ${value}`);
}

export function registerUserInputRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/catalog", async () => catalog(deps.db));
  app.get("/api/events", async () => ({ events: listEvents(deps.db) }));
  app.get("/api/feedback", async () => ({ feedback: listFeedback(deps.db) }));

  app.post<{ Body: DeclaredEventInput }>(
    "/api/events",
    {
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          required: ["name", "type", "start", "end"],
          properties: {
            name: { type: "string", minLength: 1, maxLength: 120 },
            type: { type: "string", pattern: "^[A-Z_]{2,40}$" },
            start: DATE,
            end: DATE,
            storeId: { ...ID, nullable: true },
            categoryId: { ...ID, nullable: true },
            articleId: { ...ID, nullable: true },
            impactPct: { type: "number", minimum: -100, maximum: 1000, nullable: true },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      checkDate("start", body.start);
      checkDate("end", body.end);
      if (dayFromIso(body.end) < dayFromIso(body.start))
        throw new InputError("body/end is before body/start");
      const event: DeclaredEventInput = {
        name: body.name.trim(),
        type: body.type,
        start: body.start,
        end: body.end,
        storeId: body.storeId ?? null,
        categoryId: body.categoryId ?? null,
        articleId: body.articleId ?? null,
        impactPct: body.impactPct ?? null,
      };
      const actor = request.user?.login ?? "web";
      const row = await userWrite(deps, actor, "declare_event", event, (db, at) =>
        insertEvent(db, event, at, actor),
      );
      reply.status(201);
      return row;
    },
  );

  app.post<{ Body: FeedbackInput }>(
    "/api/feedback",
    {
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          required: ["articleId", "storeId", "date", "direction", "reason"],
          properties: {
            articleId: ID,
            storeId: ID,
            date: DATE,
            direction: { type: "string", enum: ["TROP_HAUT", "TROP_BAS"] },
            reason: {
              type: "string",
              enum: ["PROMOTION_NON_SAISIE", "RUPTURE", "EVENEMENT_EXCEPTIONNEL", "ERREUR_DONNEES"],
            },
            comment: { type: "string", maxLength: 500, nullable: true },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      checkDate("date", body.date);
      const feedback: FeedbackInput = { ...body, comment: body.comment ?? null };
      const actor = request.user?.login ?? "web";
      const row = await userWrite(deps, actor, "forecast_feedback", feedback, (db, at) =>
        insertFeedback(db, feedback, at, actor),
      );
      reply.status(201);
      return row;
    },
  );
}
