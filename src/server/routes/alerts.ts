import type { FastifyInstance } from "fastify";
import { calculateQuantities } from "../../app/quantity-calculation.js";
import { readOpenOrders } from "../../data/legacy/read-stock.js";
import { readAlerts } from "../../data/optiflow/published-results.js";
import { getKpi, readSetting } from "../../data/optiflow/results-repository.js";
import type { OpenOrderLine } from "../../domain/replenishment/stock-position.js";
import { sendCached } from "../published-cache.js";
import type { ServerDeps } from "../server-deps.js";
import { requirePublished } from "./published.js";

const LEVELS = ["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"];
/** The morning view: the 120 most urgent rows; the rest is counted, and fetched on demand. */
const DEFAULT_LIMIT = 120;

export function registerAlertsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // The legacy order tables have no index on the article: reading one article's open orders
  // scans them (~100 ms on a large base). The calculator reads them once per published run, the
  // same snapshot as the run's on-hand stock, then per article from memory.
  let orders: { runId: number; byKey: Map<string, OpenOrderLine[]> } | null = null;
  const openOrdersOfRun = (runId: number) => {
    if (orders?.runId !== runId) orders = { runId, byKey: readOpenOrders(deps.db) };
    return orders.byKey;
  };

  app.get<{
    Querystring: {
      level?: string;
      store?: number;
      category?: number;
      supplier?: number;
      search?: string;
      limit?: number;
    };
  }>(
    "/api/alerts",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            level: { type: "string", enum: LEVELS },
            store: { type: "integer", minimum: 1 },
            category: { type: "integer", minimum: 1 },
            supplier: { type: "integer", minimum: 1 },
            search: { type: "string", maxLength: 100 },
            limit: { type: "integer", minimum: 1, maximum: 100000 },
          },
        },
      },
    },
    async (request, reply) => {
      const publication = requirePublished(deps);
      const q = request.query;
      const answer = deps.cache!.get(publication, `alerts:${JSON.stringify(q)}`, () => {
        const all = readAlerts(deps.db, publication.runId, {
          ...(q.level ? { level: q.level } : {}),
          ...(q.store ? { storeId: q.store } : {}),
          ...(q.category ? { categoryId: q.category } : {}),
          ...(q.supplier ? { supplierId: q.supplier } : {}),
          ...(q.search ? { search: q.search } : {}),
        });
        const counts = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<string, number>;
        for (const a of all) counts[a.level] = (counts[a.level] ?? 0) + 1;
        // Most urgent first: a long tail of OK articles is counted, not all sent.
        const limit = q.limit ?? DEFAULT_LIMIT;
        const checks = deps.db
          .prepare(
            "SELECT kind, table_name AS tableName, count, description, samples FROM optiflow_data_checks WHERE run_id = ? ORDER BY kind",
          )
          .all(publication.runId) as { samples: string }[];
        return {
          ...publication,
          counts,
          total: all.length,
          truncated: all.length > limit,
          alerts: all.slice(0, limit),
          dataChecks: checks.map((c) => ({ ...c, samples: JSON.parse(c.samples) })),
          mlPerformance: getKpi(deps.db, publication.runId, "ml_performance"),
        };
      });
      return sendCached(request, reply, answer);
    },
  );

  app.get<{ Querystring: { article: number; store?: number; date: string; margin: number } }>(
    "/api/alerts/calc",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          required: ["article", "date", "margin"],
          properties: {
            article: { type: "integer", minimum: 1 },
            store: { type: "integer", minimum: 1 },
            date: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
            margin: { type: "number", minimum: -100, maximum: 500 },
          },
        },
      },
    },
    async (request) => {
      const publication = requirePublished(deps);
      const countOpenOrders = (readSetting(deps.db, "count_open_orders") ?? "true") !== "false";
      const q = request.query;
      return {
        ...publication,
        results: calculateQuantities(
          deps.db,
          publication,
          q.article,
          q.date,
          q.margin,
          countOpenOrders,
          q.store ?? null,
          () => openOrdersOfRun(publication.runId),
        ),
      };
    },
  );
}
