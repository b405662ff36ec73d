import type { Command } from "commander";
import { simulationCsv } from "../../app/simulation-csv.js";
import { replayDue } from "../../batch/nightly-work.js";
import { readSalesDateRange } from "../../data/legacy/read-sales.js";
import { openDatabaseReadonly } from "../../data/open.js";
import { readSettings } from "../../data/optiflow/settings-repository.js";
import {
  latestSimulationRef,
  simulationRows,
  storeSimulation,
} from "../../data/optiflow/simulations-repository.js";
import { dayFromIso, isoFromDay } from "../../domain/calendar/days.js";
import type { OrderPolicy } from "../../domain/settings/settings.js";
import type { PeriodFigures } from "../../domain/simulation/outcome.js";
import { type PolicyOutcome, runSimulation } from "../../simulation/run-simulation.js";
import type { CliContext } from "../cli-context.js";
import { CliError, parseIsoDateOption } from "../cli-error.js";
import { withCliWriter } from "../cli-write.js";
import { printJson, printLines, printTable } from "../output.js";
import { openOutputFile } from "../output-file.js";
import { createProgressReporter } from "../progress.js";
import { resolveStore } from "../resolve-names.js";

interface SimulateOptions {
  from?: string;
  weeks: string;
  policy?: string;
  margin?: string;
  store?: string;
  json?: boolean;
  csv?: string;
  db?: string;
}

const POLICIES: readonly OrderPolicy[] = ["marge", "niveau_de_service"];

/**
 * `optiflow simulate` (issue 15): had the store ordered what Optiflow suggested over past weeks,
 * how many days out of stock, how much money on the shelf? Replays the policy day by day on the
 * retailer's own history (forecasts as of each week, real sales, the lead times the suppliers
 * really showed), stores the result as a run of its own for the Dashboard, prints it.
 */
export function registerSimulateCommand(program: Command, context: CliContext): void {
  program
    .command("simulate")
    .description(
      "replay the ordering policy over past weeks of this shop's history, against what really happened",
    )
    .option(
      "--from <date>",
      "first day of the period (YYYY-MM-DD); default: 13 weeks before the last sales day",
      parseIsoDateOption,
    )
    .option("--weeks <n>", "length of the period in weeks (1 to 52)", "13")
    .option("--policy <policy>", "marge or niveau_de_service; both when omitted")
    .option(
      "--margin <pct>",
      "safety margin for the marge policy (%); default: the setting margin_pct",
    )
    .option("--store <code>", "one store (code or id); every store when omitted")
    .option("--json", "print as JSON")
    .option("--csv <file>", "also write every article × store as a CSV for a French spreadsheet")
    .option("--db <path>", "database file")
    .action((options: SimulateOptions) => simulate(context, options));
}

async function simulate(context: CliContext, options: SimulateOptions): Promise<void> {
  const weeks = Number(options.weeks);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52)
    throw new CliError(`--weeks: expected a whole number from 1 to 52, got "${options.weeks}"`, 2);
  const policies = options.policy === undefined ? POLICIES : [parsePolicy(options.policy)];
  const { id, seconds, summary } = await replayAndStore(context, { ...options, weeks, policies });
  if (options.json) return printJson({ id, seconds, ...summary });
  printSummary(id, seconds, summary);
}

interface ReplayRequest extends Omit<SimulateOptions, "weeks" | "policy" | "json"> {
  weeks: number;
  policies: readonly OrderPolicy[];
}

interface StoredReplay {
  id: number;
  seconds: number;
  summary: Omit<Awaited<ReturnType<typeof runSimulation>>, "rows">;
}

/** Replays, stores the replay for the Dashboard (audited, after a backup), writes its CSV. */
async function replayAndStore(context: CliContext, request: ReplayRequest): Promise<StoredReplay> {
  const { weeks, policies } = request;
  return withCliWriter(context, request.db, async (writer) => {
    const settings = readSettings(writer.db);
    const marginPct =
      request.margin === undefined ? settings.marginPct : parseMargin(request.margin);
    const storeId = request.store ? resolveStore(writer.db, request.store, "--store") : null;
    const from = periodStart(writer.db, request.from, weeks, context.now());
    const progress = createProgressReporter("simulate", process.stderr);
    const started = performance.now();
    const reader = openDatabaseReadonly(context.config(request.db).dbPath);
    let result: Awaited<ReturnType<typeof runSimulation>>;
    try {
      result = await runSimulation(reader, {
        from,
        weeks,
        policies,
        marginPct,
        storeId,
        countOpenOrders: settings.countOpenOrders,
        serviceLevels: settings.serviceLevels,
        carryingCostRate: settings.carryingCostRate,
        country: settings.country,
        onProgress: (phase, done, total) =>
          progress.update(
            done,
            total,
            phase === "forecasts" ? "forecasts as of each week" : "replay",
          ),
      });
    } finally {
      progress.stop();
      reader.close();
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const id = await writer.write(
      "simulation_stored",
      { from: result.from, to: result.to, policies, marginPct, storeId },
      (db, at) => storeSimulation(db, result, { at, actor: writer.actor, seconds }),
    );
    if (request.csv) {
      const file = openOutputFile(request.csv);
      try {
        file.stream.write(simulationCsv(simulationRows(writer.db, id)));
        await file.commit();
      } catch (error) {
        file.abort();
        throw error;
      }
    }
    const { rows: _rows, ...summary } = result;
    return { id, seconds, summary };
  });
}

export type DueReplay =
  | { stored: true; id: number; from: string; to: string; savings: Record<string, number> }
  | { stored: false; latestAt: string | null; everyDays: number };

/**
 * What `optiflow serve` does after its nightly batch, for a shop whose batch runs from cron
 * (`optiflow ml batch --replay-if-due`): the default replay (13 weeks, both policies, every
 * store) when the latest replay of every store is OPTIFLOW_REPLAY_EVERY_DAYS old.
 */
export async function replayIfDue(context: CliContext, dbOption?: string): Promise<DueReplay> {
  const config = context.config(dbOption);
  const reader = openDatabaseReadonly(config.dbPath);
  let latestAt: string | null;
  try {
    latestAt = latestSimulationRef(reader, null)?.createdAt ?? null;
  } finally {
    reader.close();
  }
  const everyDays = config.replayEveryDays;
  if (!replayDue(latestAt, context.now(), everyDays)) return { stored: false, latestAt, everyDays };
  const { id, summary } = await replayAndStore(context, {
    db: dbOption,
    weeks: 13,
    policies: POLICIES,
  });
  const savings = Object.fromEntries(summary.policies.map((p) => [p.policy, p.savings.total]));
  return { stored: true, id, from: summary.from, to: summary.to, savings };
}

function parsePolicy(value: string): OrderPolicy {
  if ((POLICIES as string[]).includes(value)) return value as OrderPolicy;
  throw new CliError(`--policy: expected marge or niveau_de_service, got "${value}"`, 2);
}

function parseMargin(value: string): number {
  const pct = Number(value);
  if (value.trim() === "" || !Number.isFinite(pct) || pct < -100 || pct > 500)
    throw new CliError(`--margin: expected a percentage from -100 to 500, got "${value}"`, 2);
  return pct;
}

/** The period must end by the last day with sales, and leave history before it to learn from. */
function periodStart(
  db: Parameters<typeof readSalesDateRange>[0],
  fromOption: string | undefined,
  weeks: number,
  now: Date,
): number {
  const { first, last } = readSalesDateRange(db);
  if (first === null || last === null)
    throw new CliError("the database holds no sales to replay", 2);
  const end = Math.min(dayFromIso(last) + 1, dayFromIso(now.toISOString().slice(0, 10)));
  const from = fromOption ? dayFromIso(fromOption) : end - 7 * weeks;
  if (from + 7 * weeks > end)
    throw new CliError(
      `--from: ${weeks} weeks from ${isoFromDay(from)} end after the last day with sales (${isoFromDay(end - 1)}); choose an earlier --from or fewer --weeks`,
      2,
    );
  if (from - dayFromIso(first) < 56)
    throw new CliError(
      `--from: the period starts ${isoFromDay(from)}, less than 8 weeks after the first sale (${first}): too little history to forecast from`,
      2,
    );
  return from;
}

const money = (v: number) => `${v.toFixed(2)} €`;

function printSummary(
  id: number,
  seconds: number,
  summary: Omit<Awaited<ReturnType<typeof runSimulation>>, "rows">,
): void {
  printLines([
    `Simulation n°${id}: ${summary.from} → ${summary.to} (${summary.weeks} weeks), ${summary.series} article × store, in ${seconds} s.`,
  ]);
  for (const p of summary.policies) {
    printLines([
      "",
      `Policy ${p.policy}${p.policy === "marge" ? ` (margin ${summary.marginPct} %)` : ""}:`,
    ]);
    printTable(figureRows(p));
    printLines([
      `Savings: ${money(p.savings.total)} = carrying ${money(p.savings.carrying)} + margin kept ${money(p.savings.margin)} + expired ${money(p.savings.expired)}`,
      `  ${englishFormula(p.savings)}`,
      "Where Optiflow would have done worst:",
      ...p.worst.map((w) => `  ${w.reference} ${w.name} (${w.storeCode}): ${money(w.delta)}`),
    ]);
  }
  printLines([
    "",
    `Demand estimated from the forecast on ${summary.estimatedDemandDays} day(s) the shop was out of stock (its real demand is unknown).`,
    `Left out: ${summary.skipped.noStockHistory} without stock history at the start, ${summary.skipped.noForecast} without a forecast on the first day.`,
    "Shown on the Dashboard; every article: optiflow simulate ... --csv FILE.",
  ]);
}

/**
 * The savings' formula in the language of the rest of this output: `formula`, stored in French
 * for the replays of older versions, stays in the JSON; the pages write it in the reader's.
 */
function englishFormula(savings: PolicyOutcome["savings"]): string {
  return `(actual − simulated average stock) × ${savings.carryingRatePct}%/year × ${savings.days}/365 + (actual − simulated lost margin) + (actual − simulated units past shelf life) × purchase price`;
}

function figureRows(p: PolicyOutcome) {
  const row = (label: string, pick: (f: PeriodFigures) => string) => ({
    figure: label,
    actual: pick(p.actual),
    optiflow: pick(p.optiflow),
  });
  return [
    row("days out of stock", (f) => String(f.stockOutDays)),
    row("units lost", (f) => f.lostUnits.toFixed(1)),
    row("revenue lost", (f) => money(f.lostRevenue)),
    row("average stock value", (f) => money(f.averageStockValue)),
    row("stock value at the end", (f) => money(f.endStockValue)),
    row("orders / lines", (f) => `${f.orders} / ${f.orderLines}`),
    row("units past shelf life", (f) => f.expiredUnits.toFixed(1)),
    row("value past shelf life", (f) => money(f.expiredValue)),
  ];
}
