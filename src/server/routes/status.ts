import type { FastifyInstance } from "fastify";
import { latestRun, runSteps } from "../../data/optiflow/runs-repository.js";
import { checkOptiflowSchema, RECOVERY_HINT } from "../../data/optiflow/schema-check.js";
import type { ServerDeps } from "../server-deps.js";

export function registerStatusRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/status", async () => {
    // Checked first: with a table gone, the other reads below would fail on it.
    const schemaProblems = checkOptiflowSchema(deps.db);
    const read = <T>(f: () => T): T | null => {
      if (schemaProblems.length === 0) return f();
      try {
        return f();
      } catch {
        return null;
      }
    };
    const publication = read(() => deps.publication());
    const latest = read(() => latestRun(deps.db));
    return {
      publication,
      latestRun: latest ? { ...latest, steps: read(() => runSteps(deps.db, latest.id)) } : null,
      nextBatch: deps.nextBatch()?.toISOString() ?? null,
      schemaProblems,
      ...(schemaProblems.length > 0 ? { recovery: RECOVERY_HINT } : {}),
    };
  });
}
