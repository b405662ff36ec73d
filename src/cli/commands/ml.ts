import type { Command } from "commander";
import { decimalComma } from "../../app/french-csv.js";
import { recalculateAlerts } from "../../app/recalculate-alerts.js";
import { previewForecasts } from "../../batch/preview-forecasts.js";
import { createBatchLogger, runBatch } from "../../batch/run-batch.js";
import { readSalesDateRange } from "../../data/legacy/read-sales.js";
import { openOptiflowReader } from "../../data/optiflow/open-optiflow.js";
import { findArticleByReference, readPublication } from "../../data/optiflow/published-results.js";
import { readSetting } from "../../data/optiflow/results-repository.js";
import { dayFromIso, isoFromDay } from "../../domain/calendar/days.js";
import type { CliContext } from "../cli-context.js";
import { CliError, parseIsoDateOption } from "../cli-error.js";
import { printJson, printLines, printTable } from "../output.js";
import { createProgressReporter } from "../progress.js";
import {
  localDateTime,
  publicationHeader,
  publicationMeta,
  withPublication,
} from "../published.js";
import { type DueReplay, replayIfDue } from "./simulate.js";

export function localToday(now: Date): string {
  // The batch's day is the store's local calendar day, not the UTC one.
  return isoFromDay(Math.floor((now.getTime() - now.getTimezoneOffset() * 60_000) / 86_400_000));
}

interface BatchCommandOptions {
  db?: string;
  today?: string;
  json?: boolean;
  force?: boolean;
  full?: boolean;
  replayIfDue?: boolean;
}

/**
 * A `--today` typed by hand must fall within the sales history (up to the day after the last
 * sale) and not before the day of the results already published: a typo such as 1900-01-01
 * would otherwise replace this morning's results with a batch that forecasts nothing useful.
 */
function checkChosenToday(dbPath: string, today: string): void {
  const db = openOptiflowReader(dbPath);
  try {
    const { first, last } = readSalesDateRange(db);
    const day = dayFromIso(today);
    if (first === null || last === null)
      throw new CliError("--today: the database holds no sales to forecast from", 2);
    if (day <= dayFromIso(first) || day > dayFromIso(last) + 1)
      throw new CliError(
        `--today: ${today} is outside the sales history (${first} → ${last}; the batch may run from ${isoFromDay(dayFromIso(first) + 1)} to ${isoFromDay(dayFromIso(last) + 1)}). Add --force to run it anyway.`,
        2,
      );
    const published = readPublication(db, new Date(0), 24);
    if (published && day < dayFromIso(published.today))
      throw new CliError(
        `--today: ${today} is before the day of the results published now (${published.today}); running it would replace them with older ones. Add --force to run it anyway.`,
        2,
      );
  } finally {
    db.close();
  }
}

export async function runBatchCommand(
  context: CliContext,
  options: BatchCommandOptions,
): Promise<void> {
  const config = context.config(options.db);
  const scheduled = process.env.OPTIFLOW_BATCH_TRIGGER === "schedule";
  // The scheduler's date is the real one (the shop's feed may lag behind it): only a date typed
  // by hand is checked.
  if (options.today !== undefined && !options.force && !scheduled)
    checkChosenToday(config.dbPath, options.today);
  const today = options.today ?? localToday(context.now());
  const progress = createProgressReporter("batch", process.stderr);
  const logger = createBatchLogger(config.batchLogPath, config.logLevel);
  const result = await runBatch({
    config,
    today,
    // Set by `optiflow serve` when it starts the nightly batch in a child process.
    trigger: scheduled ? "schedule" : "cli",
    fullHistory: options.full ?? false,
    now: () => context.now(),
    logger,
    onProgress: (step, label, done, total) => progress.update(done, total, `[${step.id}] ${label}`),
    onStepDone: (step) => {
      progress.stop();
      if (!options.json) {
        const seconds = step.durationMs === null ? "" : ` ${(step.durationMs / 1000).toFixed(1)} s`;
        process.stderr.write(
          `  [${step.step.padStart(2)}] ${step.name}: ${step.status}${seconds}${step.error ? ` — ${step.error}` : ""}\n`,
        );
      }
    },
  });
  const replay = options.replayIfDue && result.published ? await tryReplay(context, options) : null;
  if (options.json) {
    printJson(replay ? { ...result, replay } : result);
  } else {
    printLines([
      result.published
        ? `Batch ${result.runId} du ${today} publié.`
        : `Batch ${result.runId} du ${today} NON publié : les résultats précédents restent affichés.`,
      `Sauvegarde : ${result.backupPath}`,
      `Journal : ${config.batchLogPath}`,
    ]);
    printTable(
      result.steps.map((s) => ({
        step: s.step,
        name: s.name,
        status: s.status,
        seconds: s.durationMs === null ? "" : (s.durationMs / 1000).toFixed(2),
        error: s.error ?? "",
      })),
    );
    if (replay) printLines([replayLine(replay)]);
  }
  if (!result.published)
    throw new CliError("the batch did not publish its results (see the failed steps above)", 6);
  if (replay && "error" in replay)
    throw new CliError(
      `the batch published its results, but the replay failed: ${replay.error} (the Dashboard keeps the latest replay stored, if any)`,
      14,
    );
}

type ReplayOutcome = DueReplay | { stored: false; error: string };

/** After a published batch; its failure leaves the batch published, and is told apart (exit 14). */
async function tryReplay(
  context: CliContext,
  options: BatchCommandOptions,
): Promise<ReplayOutcome> {
  try {
    return await replayIfDue(context, options.db);
  } catch (error) {
    return { stored: false, error: (error as Error).message };
  }
}

function replayLine(replay: ReplayOutcome): string {
  if ("error" in replay) return "Rejeu des 13 dernières semaines : échec (voir ci-dessous).";
  if (!replay.stored)
    return replay.everyDays <= 0
      ? "Rejeu : jamais (OPTIFLOW_REPLAY_EVERY_DAYS=0)."
      : `Rejeu : pas encore dû (le dernier, de tous les magasins, date du ${localDateTime(replay.latestAt ?? "")} ; un tous les ${replay.everyDays} jours).`;
  const savings = Object.entries(replay.savings)
    .map(([policy, total]) => `${policy} ${decimalComma(total, 2)} €`)
    .join(", ");
  return `Rejeu des 13 dernières semaines enregistré : simulation n°${replay.id}, du ${replay.from} au ${replay.to} ; économies mesurées : ${savings}.`;
}

export function registerMlCommands(program: Command, context: CliContext): void {
  const ml = program.command("ml").description("the nightly batch and its forecasting steps");
  ml.command("batch")
    .description("run the full nightly batch now (steps 1–11, A–C) and publish its results")
    .option("--db <path>", "database file")
    .option(
      "--today <date>",
      "the batch's day (YYYY-MM-DD); sales are known up to the day before",
      parseIsoDateOption,
    )
    .option("--force", "run for a --today outside the sales history or before the published day")
    .option(
      "--full",
      "read the whole sales history from the legacy tables instead of Optiflow's checked copy and the recent weeks",
    )
    .option(
      "--replay-if-due",
      "once published, replay the last 13 weeks (optiflow simulate) when the latest replay is OPTIFLOW_REPLAY_EVERY_DAYS old, as optiflow serve does after its batch",
    )
    .option("--json", "print the run as JSON")
    .action((options: BatchCommandOptions) => runBatchCommand(context, options));

  registerPredictSales(ml, context);
  registerCalcAlerts(ml, context);
}

/** `ml predict-sales`: the forecasts recomputed now, for one article or all, not stored. */
function registerPredictSales(ml: Command, context: CliContext): void {
  ml.command("predict-sales")
    .description("recompute forecasts now without storing them (one article, or all)")
    .argument("[article]", "article reference; all active articles when omitted")
    .option("--db <path>", "database file")
    .option("--today <date>", "the day to forecast from (YYYY-MM-DD)", parseIsoDateOption)
    .option("--json", "print as JSON")
    .action((reference: string | undefined, options: BatchCommandOptions) =>
      predictSales(context, reference, options),
    );
}

async function predictSales(
  context: CliContext,
  reference: string | undefined,
  options: BatchCommandOptions,
): Promise<void> {
  const config = context.config(options.db);
  const db = openOptiflowReader(config.dbPath);
  try {
    const today = options.today ?? localToday(context.now());
    let articleId: number | null = null;
    if (reference !== undefined) {
      const article = findArticleByReference(db, reference);
      if (!article) throw new CliError(`[article]: no article with reference "${reference}"`, 2);
      articleId = article.id;
    }
    const previews = await previewForecasts(db, dayFromIso(today), today, articleId, {
      country: readSetting(db, "country") === "none" ? "none" : "FR",
    });
    if (options.json) return printJson({ today, stored: false, series: previews });
    printLines([`Prévisions recalculées au ${today} (non enregistrées) :`]);
    printTable(
      previews.map((p) => ({
        store: p.storeCode,
        article: p.reference,
        model: p.model,
        class: p.demandClass,
        backtest_wape: p.backtestWape ?? "",
        next7: p.next7,
        next28: p.next28,
      })),
    );
  } finally {
    db.close();
  }
}

/** `ml calc-alerts`: the published forecasts against the stock as it is now. */
function registerCalcAlerts(ml: Command, context: CliContext): void {
  ml.command("calc-alerts")
    .description(
      "recompute alert levels from the published forecasts and the stock as it is now (writes nothing)",
    )
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: BatchCommandOptions) =>
      withPublication(context, options.db, (db, publication) => {
        const countOpenOrders = (readSetting(db, "count_open_orders") ?? "true") !== "false";
        const result = recalculateAlerts(db, publication, countOpenOrders);
        if (options.json) return printJson({ ...publicationMeta(publication), ...result });
        printLines([
          ...publicationHeader(publication),
          "Niveaux recalculés avec le stock actuel :",
        ]);
        printTable(Object.entries(result.counts).map(([level, articles]) => ({ level, articles })));
        printLines([
          "",
          `${result.changed.length} article(s) ont changé de niveau depuis le batch.`,
        ]);
        if (result.changed.length > 0) printTable(result.changed.slice(0, 50));
      }),
    );
}
