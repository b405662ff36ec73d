import type { FastifyInstance } from "fastify";
import { readForecasts, readKpi } from "../../data/optiflow/published-results.js";
import type { ServerDeps } from "../server-deps.js";
import { requirePublished } from "./published.js";

export function registerPredictionsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: { article?: number; store?: number } }>(
    "/api/predictions",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            article: { type: "integer", minimum: 1 },
            store: { type: "integer", minimum: 1 },
          },
        },
      },
    },
    async (request) => {
      const publication = requirePublished(deps);
      const { article, store } = request.query;
      const kpi = (key: string) => readKpi(deps.db, publication.runId, key);
      return {
        ...publication,
        summary: kpi("predictions_summary"),
        accuracy: kpi("accuracy_proof"),
        mlPerformance: kpi("ml_performance"),
        improvement: kpi("improvement"),
        forecasts:
          article && store ? readForecasts(deps.db, publication.runId, article, store) : null,
      };
    },
  );
}
