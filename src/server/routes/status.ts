import type { FastifyInstance } from "fastify";
import { latestRun, runSteps } from "../../data/optiflow/runs-repository.js";
import type { ServerDeps } from "../server-deps.js";

export function registerStatusRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/status", async () => {
    const publication = deps.publication();
    const latest = latestRun(deps.db);
    return {
      publication,
      latestRun: latest ? { ...latest, steps: runSteps(deps.db, latest.id) } : null,
      nextBatch: deps.nextBatch()?.toISOString() ?? null,
    };
  });
}
