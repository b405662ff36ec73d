import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance } from "fastify";
import { BackupError } from "../data/backup.js";
import { DatabaseBusyError, isBusyError, isSchemaError } from "../data/database-errors.js";
import type { Db } from "../data/open.js";
import {
  checkOptiflowSchema,
  OptiflowSchemaError,
  RECOVERY_HINT,
} from "../data/optiflow/schema-check.js";
import { OrderInputError } from "../domain/replenishment/order-quantity.js";
import { isLoopback, registerAccessControl } from "./access-control.js";
import { PublishedResponseCache } from "./published-cache.js";
import { registerAlertsRoutes } from "./routes/alerts.js";
import { registerDashboardRoutes } from "./routes/dashboard.js";
import { registerOrderLineRoutes } from "./routes/order-lines.js";
import { registerPredictionsRoutes } from "./routes/predictions.js";
import { registerStatusRoutes } from "./routes/status.js";
import { registerUserInputRoutes } from "./routes/user-input.js";
import type { ServerDeps } from "./server-deps.js";

const WEB_ROOT =
  [new URL("../../web/dist/", import.meta.url), new URL("../../../web/dist/", import.meta.url)]
    .map((u) => u.pathname)
    .find((p) => existsSync(p)) ?? "";

interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Ajv's message, with the offending field always named (ajv leaves it out for some keywords). */
export function describeSchemaError(error: SchemaError, dataVar: string): string {
  const at = `${dataVar}${error.instancePath}`;
  if (error.keyword === "additionalProperties")
    return `${at}/${String(error.params.additionalProperty)} is not an accepted field`;
  if (error.keyword === "required")
    return `${at}/${String(error.params.missingProperty)} is required`;
  return `${at} ${error.message ?? "is invalid"}`;
}

/**
 * Faults of the database rather than of the request: another program holding the write lock
 * (the client may retry; nothing was saved), the backup folder unusable (nothing is written
 * without a backup) or Optiflow's tables damaged (recovery is named).
 */
function databaseFault(error: unknown, db: Db): { message: string; retryAfter?: number } | null {
  if (error instanceof DatabaseBusyError || isBusyError(error))
    return {
      message: new DatabaseBusyError("Nothing was saved.").message,
      retryAfter: 5,
    };
  if (error instanceof OptiflowSchemaError || error instanceof BackupError)
    return { message: error.message };
  if (isSchemaError(error)) {
    // SQLite names a column or a table; the check names every damaged table.
    const problems = checkOptiflowSchema(db);
    if (problems.length > 0) return { message: new OptiflowSchemaError(problems).message };
    return {
      message: `Optiflow's tables are damaged (${(error as Error).message}). To recover, ${RECOVERY_HINT}.`,
    };
  }
  return null;
}

/** The HTTP API. Every route's input is validated by its JSON schema; errors are 4xx naming the field. */
export function buildServer(input: ServerDeps): FastifyInstance {
  const deps: ServerDeps = { ...input, cache: input.cache ?? new PublishedResponseCache() };
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false } },
    schemaErrorFormatter: (errors, dataVar) =>
      new Error(errors.map((e) => describeSchemaError(e, dataVar)).join("; ")),
  });
  app.setErrorHandler((raw, _request, reply) => {
    const database = databaseFault(raw, deps.db);
    if (database) {
      deps.onError?.(raw);
      if (database.retryAfter) reply.header("retry-after", String(database.retryAfter));
      return reply.status(503).send({ error: database.message });
    }
    const error = raw as Error & { statusCode?: number; validation?: unknown };
    const status = error instanceof OrderInputError ? 400 : (error.statusCode ?? 500);
    const internal = status >= 500 && status !== 503;
    if (internal) deps.onError?.(error);
    reply.status(status).send({
      error: internal ? "internal error" : error.message,
      ...(error.validation ? { validation: error.validation } : {}),
    });
  });
  registerAccessControl(app, deps, isLoopback(deps.config.host));
  registerStatusRoutes(app, deps);
  registerAlertsRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerPredictionsRoutes(app, deps);
  registerUserInputRoutes(app, deps);
  registerOrderLineRoutes(app, deps);
  // The built pages (web/dist), when present: `npm run build` makes them.
  if (existsSync(WEB_ROOT)) app.register(fastifyStatic, { root: WEB_ROOT, index: "index.html" });
  return app;
}
