import type { FastifyInstance } from "fastify";
import { readForecasts } from "../../data/optiflow/published-results.js";
import { getKpi } from "../../data/optiflow/results-repository.js";
import { sendCached } from "../published-cache.js";
import type { ServerDeps } from "../server-deps.js";
import { requirePublished } from "./published.js";

interface SummaryRow {
  articleId: number;
  storeId: number;
  reference?: string;
  name?: string;
  next28: number;
}

const SUMMARY_LIMIT = 200;

/** The articles to choose from: matching the search, the biggest sellers first, 200 at most. */
function topSummary(
  rows: SummaryRow[] | null,
  search: string | undefined,
  store: number | undefined,
): SummaryRow[] {
  const needle = search?.trim().toLowerCase() ?? "";
  return (rows ?? [])
    .filter(
      (r) =>
        (store === undefined || r.storeId === store) &&
        (needle === "" || `${r.reference ?? ""} ${r.name ?? ""}`.toLowerCase().includes(needle)),
    )
    .sort((a, b) => b.next28 - a.next28)
    .slice(0, SUMMARY_LIMIT);
}

export function registerPredictionsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: { article?: number; store?: number; search?: string } }>(
    "/api/predictions",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            article: { type: "integer", minimum: 1 },
            store: { type: "integer", minimum: 1 },
            search: { type: "string", maxLength: 100 },
          },
        },
      },
    },
    async (request, reply) => {
      const publication = requirePublished(deps);
      const { article, store, search } = request.query;
      const kpi = (key: string) => getKpi(deps.db, publication.runId, key);
      const answer = deps.cache!.get(
        publication,
        `predictions:${article ?? ""}:${store ?? ""}:${search ?? ""}`,
        () => ({
          ...publication,
          summary: topSummary(
            kpi("predictions_summary") as SummaryRow[] | null,
            search,
            article ? undefined : store,
          ),
          accuracy: kpi("accuracy_proof"),
          mlPerformance: kpi("ml_performance"),
          improvement: kpi("improvement"),
          forecasts:
            article && store ? readForecasts(deps.db, publication.runId, article, store) : null,
        }),
      );
      return sendCached(request, reply, answer);
    },
  );
}
