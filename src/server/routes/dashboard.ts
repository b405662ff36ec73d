import type { FastifyInstance } from "fastify";
import { readKpi } from "../../data/optiflow/published-results.js";
import type { ServerDeps } from "../server-deps.js";
import { requirePublished, withFreshStatus } from "./published.js";

export function registerDashboardRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/dashboard", async (_request, reply) => {
    const publication = requirePublished(deps);
    const kpi = (key: string) => readKpi(deps.db, publication.runId, key);
    const json = deps.cache!.get(publication.runId, "dashboard", () => ({
      ...publication,
      health: kpi("health"),
      financial: kpi("financial"),
      trend: kpi("alert_trend"),
      urgencies: kpi("urgencies"),
      coverage: kpi("coverage"),
      mlPerformance: kpi("ml_performance"),
    }));
    return reply.type("application/json").send(withFreshStatus(json, publication));
  });
}
