import type { Command } from "commander";
import { getKpi } from "../../data/optiflow/results-repository.js";
import { measuredSavings } from "../../data/optiflow/simulations-repository.js";
import type { CliContext } from "../cli-context.js";
import { formatObject, printJson, printLines } from "../output.js";
import { publicationHeader, publicationMeta, withPublication } from "../published.js";
import { resolveStore } from "../resolve-names.js";

interface Common {
  db?: string;
  json?: boolean;
}

function kpiCommand(
  parent: Command,
  context: CliContext,
  name: string,
  description: string,
  keys: readonly string[],
  alias?: string,
): void {
  const command = parent.command(name).description(description);
  // The brief's French command names, for those who know them.
  if (alias) command.alias(alias);
  command
    .option("--store <code>", "one store's figures (code or id; default: every store together)")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: Common & { store?: string }) =>
      withPublication(context, options.db, (db, publication) => {
        // The batch computes each store's figures beside the whole chain's (kpi-scopes.ts).
        const storeId =
          options.store === undefined ? null : resolveStore(db, options.store, "--store");
        const suffix = storeId === null ? "" : `@${storeId}`;
        const values: Record<string, unknown> = {};
        for (const key of keys) {
          values[key] = getKpi(db, publication.runId, `${key}${suffix}`);
          // Beside the projected savings, what the latest replay measured (as the page shows).
          if (key === "financial") values.measured_savings = measuredSavings(db, storeId);
        }
        if (options.json) return printJson({ ...publicationMeta(publication), ...values });
        printLines(publicationHeader(publication));
        for (const [key, value] of Object.entries(values)) {
          printLines(["", `${key}:`, ...formatObject(value, "  ")]);
        }
      }),
    );
}

export function registerDashboardCommands(program: Command, context: CliContext): void {
  const dashboard = program
    .command("dashboard")
    .description("the Dashboard's figures, from the last published batch");
  kpiCommand(
    dashboard,
    context,
    "kpis",
    "all dashboard KPIs: health, finance, coverage, urgencies, service levels held",
    ["health", "financial", "coverage", "urgencies", "service_promise"],
  );
  kpiCommand(
    dashboard,
    context,
    "service-levels",
    "how often the service levels promised by past nights held, per ABC class",
    ["service_promise"],
    "niveaux-de-service",
  );
  kpiCommand(
    dashboard,
    context,
    "health",
    "alert counts, stock value, rotation",
    ["health"],
    "sante",
  );
  kpiCommand(
    dashboard,
    context,
    "trends",
    "alert counts over the last 7 days",
    ["alert_trend"],
    "tendances",
  );
}
