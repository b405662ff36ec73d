import type { FastifyInstance } from "fastify";
import { readKpi } from "../../data/optiflow/published-results.js";
import type { ServerDeps } from "../server-deps.js";
import { requirePublished } from "./published.js";

export function registerDashboardRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/dashboard", async () => {
    const publication = requirePublished(deps);
    const kpi = (key: string) => readKpi(deps.db, publication.runId, key);
    return {
      ...publication,
      health: kpi("health"),
      financial: kpi("financial"),
      trend: kpi("alert_trend"),
      urgencies: kpi("urgencies"),
      coverage: kpi("coverage"),
      mlPerformance: kpi("ml_performance"),
    };
  });
}
