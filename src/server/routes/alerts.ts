import type { FastifyInstance } from "fastify";
import { alertsCsv } from "../../app/alert-csv.js";
import { inScope, sortAlerts } from "../../app/alert-list.js";
import { calculateQuantities } from "../../app/quantity-calculation.js";
import { ALERT_LEVELS, AlertsExportQuery, AlertsQuery, CalcQuery } from "../../contract/alerts.js";
import { readStoreCode } from "../../data/legacy/read-catalog.js";
import { readOpenOrders } from "../../data/legacy/read-stock.js";
import { getKpi, storedDataChecks } from "../../data/optiflow/results-repository.js";
import { publishedOrderPolicy } from "../../data/optiflow/runs-repository.js";
import { readSettings } from "../../data/optiflow/settings-repository.js";
import type { OpenOrderLine } from "../../domain/replenishment/stock-position.js";
import { checkRequestPart } from "../api-error.js";
import { downloadFileName } from "../download-name.js";
import { requireKnownReferences } from "../known-references.js";
import { sendCached, sendText } from "../published-cache.js";
import type { ServerDeps } from "../server-deps.js";
import { requirePublished } from "./published.js";

/** The morning view: the 120 most urgent rows; the rest is counted, and fetched page by page. */
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

  app.get<{ Querystring: AlertsQuery }>(
    "/api/alerts",
    { schema: { querystring: AlertsQuery } },
    async (request, reply) => {
      const publication = requirePublished(deps);
      const q = request.query;
      const answer = deps.cache!.get(publication, `alerts:${JSON.stringify(q)}`, () => {
        // Checked on a miss only: a refusal is never cached, a known filter needs no second look.
        requireKnownReferences(deps.db, q);
        return { ...publication, ...alertsPage(deps, publication.runId, q) };
      });
      return sendCached(request, reply, answer);
    },
  );

  app.get<{ Querystring: AlertsExportQuery }>(
    "/api/alerts/export",
    { schema: { querystring: AlertsExportQuery } },
    async (request, reply) => {
      const publication = requirePublished(deps);
      const q = request.query;
      requireKnownReferences(deps.db, q);
      const rows = listedAlerts(deps, publication.runId, q).all;
      reply.header(
        "content-disposition",
        `attachment; filename="${exportFileName(deps, q, publication.today)}"`,
      );
      const policy = publishedOrderPolicy(deps.db, publication.runId);
      const csv = alertsCsv(rows, publication.today, policy);
      return sendText(request, reply, "text/csv; charset=utf-8", csv);
    },
  );

  app.get<{ Querystring: CalcQuery }>(
    "/api/alerts/calc",
    { schema: { querystring: CalcQuery } },
    async (request) => {
      const publication = requirePublished(deps);
      const q = request.query;
      requireKnownReferences(deps.db, { article: q.article, store: q.store });
      const results = checkRequestPart(
        "querystring",
        () =>
          calculateQuantities(
            deps.db,
            publication,
            q.article,
            q.date,
            q.margin,
            readSettings(deps.db),
            q.store ?? null,
            () => openOrdersOfRun(publication.runId),
          ),
        { targetDate: "date" },
      );
      return { ...publication, results };
    },
  );
}

function exportFileName(deps: ServerDeps, q: AlertsExportQuery, today: string): string {
  const store = q.store === undefined ? null : readStoreCode(deps.db, q.store);
  return downloadFileName("alertes", [store, q.level?.toLowerCase()], today);
}

/**
 * The rows a query's filters keep, every level (the chips count them), and those of its level,
 * sorted as asked: the page shows a slice of them, the export all.
 */
function listedAlerts(deps: ServerDeps, runId: number, q: AlertsExportQuery) {
  const scoped = deps.alerts!.of(runId).filter((a) => inScope(a, q));
  const all = sortAlerts(
    q.level ? scoped.filter((a) => a.level === q.level) : scoped,
    q.sort,
    q.dir,
  );
  return { scoped, all };
}

/** The page of alerts a query asks for, with the counts per level, the run's data checks. */
function alertsPage(deps: ServerDeps, runId: number, q: AlertsQuery) {
  const { scoped, all } = listedAlerts(deps, runId, q);
  // Counts per level cover every filter but the level: the chips say what each holds.
  const counts = Object.fromEntries(ALERT_LEVELS.map((l) => [l, 0])) as Record<string, number>;
  for (const a of scoped) counts[a.level] = (counts[a.level] ?? 0) + 1;
  const offset = q.offset ?? 0;
  const limit = q.limit ?? DEFAULT_LIMIT;
  return {
    counts,
    total: all.length,
    offset,
    truncated: all.length > offset + limit,
    alerts: all.slice(offset, offset + limit),
    dataChecks: storedDataChecks(deps.db, runId),
    mlPerformance: getKpi(deps.db, runId, "ml_performance"),
    // Which of each row's quantities `suggestedQty` is, and so which of its notes explain it.
    orderPolicy: publishedOrderPolicy(deps.db, runId),
  };
}
