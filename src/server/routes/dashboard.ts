import type { FastifyInstance } from "fastify";
import { DashboardQuery } from "../../contract/pages.js";
import { getKpi } from "../../data/optiflow/results-repository.js";
import { publishedOrderPolicy } from "../../data/optiflow/runs-repository.js";
import {
  latestReplayIds,
  measuredSavings,
  simulationById,
} from "../../data/optiflow/simulations-repository.js";
import { requireKnownReferences } from "../known-references.js";
import { sendCached } from "../published-cache.js";
import type { ServerDeps } from "../server-deps.js";
import { requirePublished } from "./published.js";

export function registerDashboardRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: DashboardQuery }>(
    "/api/dashboard",
    { schema: { querystring: DashboardQuery } },
    async (request, reply) => {
      const publication = requirePublished(deps);
      // One store's figures, or all stores together (the batch computes both).
      const suffix = request.query.store ? `@${request.query.store}` : "";
      const kpi = (key: string) =>
        getKpi(deps.db, publication.runId, `${key}${suffix}`) ??
        (key === "ml_performance" ? getKpi(deps.db, publication.runId, key) : null);
      // A simulation is a run of its own (optiflow simulate): a new one makes a new cache entry.
      const store = request.query.store ?? null;
      // A store without a replay of its own, or with one older than the latest of every store,
      // reads its part of that one.
      const { ownId, chainId } = latestReplayIds(deps.db, store);
      const key = `dashboard${suffix}#simulation${ownId ?? 0}#${chainId ?? 0}`;
      const answer = deps.cache!.get(publication, key, () => {
        // Checked on a miss only: a refusal is never cached, a known store needs no second look.
        requireKnownReferences(deps.db, { store: request.query.store });
        // The replay's summary, read once for both fields.
        const simulation = ownId === null ? null : simulationById(deps.db, ownId);
        return {
          ...publication,
          health: kpi("health"),
          financial: kpi("financial"),
          trend: kpi("alert_trend"),
          urgencies: kpi("urgencies"),
          coverage: kpi("coverage"),
          mlPerformance: kpi("ml_performance"),
          // How often past nights' service levels held (step 5); absent from older runs.
          servicePromise: kpi("service_promise"),
          // Suppliers' lead times as observed (step 4): the late ones first.
          leadTimes: getKpi(deps.db, publication.runId, "lead_times"),
          simulation,
          measuredSavings: measuredSavings(deps.db, store, { own: simulation, chainId }),
          // The policy the published suggestions follow (step 4's report), beside the replay.
          orderPolicy: publishedOrderPolicy(deps.db, publication.runId),
        };
      });
      return sendCached(request, reply, answer);
    },
  );
}
