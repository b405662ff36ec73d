import Fastify, { type FastifyInstance } from "fastify";
import { OrderInputError } from "../domain/replenishment/order-quantity.js";
import { registerAlertsRoutes } from "./routes/alerts.js";
import { registerDashboardRoutes } from "./routes/dashboard.js";
import { registerPredictionsRoutes } from "./routes/predictions.js";
import { registerStatusRoutes } from "./routes/status.js";
import type { ServerDeps } from "./server-deps.js";

/** The HTTP API. Every route's input is validated by its JSON schema; errors are 4xx naming the field. */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false } },
  });
  app.setErrorHandler((raw, _request, reply) => {
    const error = raw as Error & { statusCode?: number; validation?: unknown };
    const status = error instanceof OrderInputError ? 400 : (error.statusCode ?? 500);
    const internal = status >= 500 && status !== 503;
    if (internal) deps.onError?.(error);
    reply.status(status).send({
      error: internal ? "internal error" : error.message,
      ...(error.validation ? { validation: error.validation } : {}),
    });
  });
  registerStatusRoutes(app, deps);
  registerAlertsRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerPredictionsRoutes(app, deps);
  return app;
}
