import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance } from "fastify";
import { NotFoundError } from "../app/user-input.js";
import { BackupError } from "../data/backup.js";
import { DatabaseBusyError, isBusyError, isSchemaError } from "../data/database-errors.js";
import { DatabaseNotWritableError, type Db, isNotWritableError } from "../data/open.js";
import { NewerOptiflowError } from "../data/optiflow/migrate.js";
import {
  checkOptiflowSchema,
  OptiflowSchemaError,
  RECOVERY_HINT,
} from "../data/optiflow/schema-check.js";
import { InputError } from "../domain/input-error.js";
import { isLoopback, registerAccessControl } from "./access-control.js";
import { ApiError, type ApiErrorCode, BusyError, invalidField } from "./api-error.js";
import { findNonFiniteNumber } from "./finite-numbers.js";
import { PublishedAlerts } from "./published-alerts.js";
import { PublishedResponseCache } from "./published-cache.js";
import { registerAlertsRoutes } from "./routes/alerts.js";
import { registerArticleRoutes } from "./routes/articles.js";
import { registerDashboardRoutes } from "./routes/dashboard.js";
import { registerOrderLineRoutes } from "./routes/order-lines.js";
import { registerPredictionsRoutes } from "./routes/predictions.js";
import { registerSettingsRoutes } from "./routes/settings.js";
import { registerSimulationRoutes } from "./routes/simulation.js";
import { registerStatusRoutes } from "./routes/status.js";
import { registerUserInputRoutes } from "./routes/user-input.js";
import type { ServerDeps } from "./server-deps.js";
import { warmPublishedRuns } from "./warm-up.js";

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

/**
 * One sentence per offending field. A choice among fixed values (a union of literals) fails as
 * one "must be equal to constant" per value and an anyOf: said once, with the values accepted. A
 * nullable field's failure says what its value broke, not also that it is not null.
 */
export function describeSchemaErrors(errors: readonly SchemaError[], dataVar: string): string {
  const byPath = new Map<string, SchemaError[]>();
  for (const e of errors) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const sentences: string[] = [];
  for (const [path, group] of byPath) {
    const union = group.some((e) => e.keyword === "anyOf");
    const isNull = (e: SchemaError) => e.keyword === "type" && e.params.type === "null";
    const nullable = union && group.some(isNull);
    const branches = union ? group.filter((e) => e.keyword !== "anyOf" && !isNull(e)) : group;
    const orNull = nullable ? " (or null)" : "";
    if (branches.length > 0 && branches.every((e) => e.keyword === "const")) {
      const values = branches.map((e) => String(e.params.allowedValue));
      sentences.push(`${dataVar}${path} must be one of: ${values.join(", ")}${orNull}`);
      continue;
    }
    for (const e of branches.length > 0 ? branches : group) {
      const sentence = describeSchemaError(e, dataVar) + orNull;
      if (!sentences.includes(sentence)) sentences.push(sentence);
    }
  }
  return sentences.join("; ");
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
 * without a backup), Optiflow's tables damaged (recovery is named) or the file no longer
 * writable (its permissions changed, its disk remounted read-only: the pages still read).
 */
function databaseFault(
  error: unknown,
  db: Db,
): { message: string; code: ApiErrorCode; retryAfter?: number } | null {
  if (error instanceof DatabaseBusyError || isBusyError(error))
    return {
      message: new DatabaseBusyError("Nothing was saved.").message,
      code: "database_busy",
      retryAfter: 5,
    };
  if (error instanceof BackupError) return { message: error.message, code: "backup_failed" };
  if (error instanceof NewerOptiflowError)
    return { message: error.message, code: "database_from_newer_version" };
  if (error instanceof DatabaseNotWritableError || isNotWritableError(error))
    return {
      message: `The database can no longer be written (${(error as Error).message}). Nothing was saved.`,
      code: "database_not_writable",
    };
  if (error instanceof OptiflowSchemaError)
    return { message: error.message, code: "database_damaged" };
  if (isSchemaError(error)) {
    // SQLite names a column or a table; the check names every damaged table.
    const problems = checkOptiflowSchema(db);
    if (problems.length > 0)
      return { message: new OptiflowSchemaError(problems).message, code: "database_damaged" };
    return {
      message: `Optiflow's tables are damaged (${(error as Error).message}). To recover, ${RECOVERY_HINT}.`,
      code: "database_damaged",
    };
  }
  return null;
}

/** What a failed request answers: a message, a stable code, and the field at fault if any. */
function describeFailure(
  raw: unknown,
  db: Db,
): {
  status: number;
  body: { error: string; code: ApiErrorCode; field?: string; values?: Record<string, number> };
  retryAfter?: number;
} {
  const database = databaseFault(raw, db);
  if (database)
    return {
      status: 503,
      body: { error: database.message, code: database.code },
      ...(database.retryAfter ? { retryAfter: database.retryAfter } : {}),
    };
  if (raw instanceof ApiError)
    return {
      status: raw.statusCode,
      body: {
        error: raw.message,
        code: raw.code,
        ...(raw.field ? { field: raw.field } : {}),
        ...(raw.values ? { values: raw.values } : {}),
      },
      ...(raw instanceof BusyError ? { retryAfter: raw.retryAfter } : {}),
    };
  if (raw instanceof InputError)
    return {
      status: 400,
      body: { error: raw.message, code: raw.code as ApiErrorCode, field: raw.field },
    };
  if (raw instanceof NotFoundError)
    return { status: 404, body: { error: raw.message, code: "not_found" } };
  const error = raw as Error & {
    statusCode?: number;
    validation?: SchemaError[];
    validationContext?: string;
  };
  if (error.validation) {
    const first = error.validation[0];
    const field = first ? fieldOf(first, error.validationContext ?? "body") : undefined;
    return {
      status: 400,
      body: { error: error.message, code: "invalid_input", ...(field ? { field } : {}) },
    };
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) return { status: 500, body: { error: "internal error", code: "internal" } };
  return {
    status,
    body: { error: error.message, code: status === 404 ? "not_found" : "invalid_input" },
  };
}

function fieldOf(error: SchemaError, dataVar: string): string {
  const at = `${dataVar}${error.instancePath}`;
  if (error.keyword === "additionalProperties")
    return `${at}/${String(error.params.additionalProperty)}`;
  if (error.keyword === "required") return `${at}/${String(error.params.missingProperty)}`;
  return at;
}

/** The HTTP API. Every route's input is validated by its JSON schema; errors are 4xx naming the field. */
export function buildServer(input: ServerDeps): FastifyInstance {
  const deps: ServerDeps = {
    ...input,
    cache: input.cache ?? new PublishedResponseCache(),
    alerts: input.alerts ?? new PublishedAlerts(input.db),
  };
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false } },
    schemaErrorFormatter: (errors, dataVar) => new Error(describeSchemaErrors(errors, dataVar)),
  });
  app.setErrorHandler((raw, _request, reply) => {
    const failure = describeFailure(raw, deps.db);
    // Busy is not a fault: the client is told when to come back, nothing to log.
    if (failure.status >= 500 && failure.retryAfter === undefined) deps.onError?.(raw);
    if (failure.retryAfter) reply.header("retry-after", String(failure.retryAfter));
    return reply.status(failure.status).send(failure.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: `no such page or API: ${request.method} ${request.url}`, code: "not_found" }),
  );
  // After validation and coercion, before any handler: no Infinity or NaN gets in (finite-numbers.ts).
  app.addHook("preHandler", async (request) => {
    for (const [part, value] of [
      ["body", request.body],
      ["querystring", request.query],
      ["params", request.params],
    ] as const) {
      const field = findNonFiniteNumber(value, part);
      if (field) throw invalidField(field, "must be a finite number", "not_finite");
    }
  });
  warmPublishedRuns(app, deps);
  registerAccessControl(app, deps, isLoopback(deps.config.host));
  registerStatusRoutes(app, deps);
  registerAlertsRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerPredictionsRoutes(app, deps);
  registerUserInputRoutes(app, deps);
  registerOrderLineRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerArticleRoutes(app, deps);
  registerSimulationRoutes(app, deps);
  // The built pages (web/dist), when present: `npm run build` makes them.
  if (existsSync(WEB_ROOT))
    app.register(fastifyStatic, {
      root: WEB_ROOT,
      // An array: @fastify/static only finds a pre-compressed index page from a list.
      index: ["index.html"],
      // Built with .gz and .br copies (scripts/compress-assets.js): sent as the client accepts.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        // Hashed file names never change content: a year, immutable. The page itself: revalidate.
        res.setHeader(
          "cache-control",
          /[\\/]assets[\\/]/.test(path) ? "public, max-age=31536000, immutable" : "no-cache",
        );
      },
    });
  return app;
}
