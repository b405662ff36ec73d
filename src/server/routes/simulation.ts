import type { FastifyInstance } from "fastify";
import { simulationCsv } from "../../app/simulation-csv.js";
import { SimulationQuery } from "../../contract/pages.js";
import {
  latestSimulation,
  type SimulationSummary,
  simulationById,
  simulationRows,
} from "../../data/optiflow/simulations-repository.js";
import { ApiError } from "../api-error.js";
import { requireKnownReferences } from "../known-references.js";
import { sendText } from "../published-cache.js";
import type { ServerDeps } from "../server-deps.js";

/**
 * The replays of the ordering policy (`optiflow simulate`, issue 15): the latest one of a store
 * alone or of every store, whatever their ages (the Dashboard picks the fresher one,
 * `latestReplayFor`, and links its export by id), and every article × store as a CSV for a
 * French spreadsheet. Simulations are their own runs, not the batch's: never served from its
 * cache.
 */
export function registerSimulationRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: SimulationQuery }>(
    "/api/simulation",
    { schema: { querystring: SimulationQuery } },
    async (request) => ({ simulation: chosen(deps, request.query) }),
  );

  app.get<{ Querystring: SimulationQuery }>(
    "/api/simulation/export",
    { schema: { querystring: SimulationQuery } },
    async (request, reply) => {
      const simulation = chosen(deps, request.query);
      if (!simulation)
        throw new ApiError(404, "not_found", "no simulation yet: run optiflow simulate");
      reply.header(
        "content-disposition",
        `attachment; filename="simulation-${simulation.id}-${simulation.from}.csv"`,
      );
      const csv = simulationCsv(simulationRows(deps.db, simulation.id));
      return sendText(request, reply, "text/csv; charset=utf-8", csv);
    },
  );
}

function chosen(deps: ServerDeps, query: SimulationQuery): SimulationSummary | null {
  if (query.id !== undefined) {
    const simulation = simulationById(deps.db, query.id);
    if (!simulation)
      throw new ApiError(404, "not_found", `no simulation ${query.id}`, "querystring/id");
    return simulation;
  }
  requireKnownReferences(deps.db, { store: query.store });
  return latestSimulation(deps.db, query.store ?? null);
}
