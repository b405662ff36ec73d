import type { Command } from "commander";
import {
  checkFeedbackReferences,
  correctFeedback,
  withdrawFeedback,
} from "../../app/user-input.js";
import { openOptiflowReader } from "../../data/optiflow/open-optiflow.js";
import {
  type FeedbackRecord,
  getFeedback,
  insertFeedback,
  listFeedback,
} from "../../data/optiflow/user-input-repository.js";
import type { FeedbackInput } from "../../domain/user-input/forecast-feedback.js";
import type { CliContext } from "../cli-context.js";
import { CliError, parseIsoDateOption, parsePositiveIntegerOption } from "../cli-error.js";
import { withCliWriter } from "../cli-write.js";
import { printJson, printLines, printTable } from "../output.js";
import { resolveArticle, resolveStore } from "../resolve-names.js";

interface FeedbackOptions {
  db?: string;
  json?: boolean;
  article?: string;
  store?: string;
  date?: string;
  direction?: string;
  reason?: string;
  comment?: string;
}

function feedbackRows(rows: readonly FeedbackRecord[]) {
  return rows.map((f) => ({
    id: f.id,
    article: f.articleId,
    store: f.storeId,
    date: f.date,
    direction: f.direction,
    reason: f.reason,
    comment: f.comment ?? "",
    status: f.appliedRunId === null ? "pending" : `applied (run ${f.appliedRunId})`,
  }));
}

function feedbackFrom(
  db: Parameters<typeof resolveStore>[0],
  options: FeedbackOptions,
  base: FeedbackInput | null,
): FeedbackInput {
  const required = <T>(value: T | undefined, option: string): T => {
    if (value === undefined) throw new CliError(`${option} is required`, 2);
    return value;
  };
  return {
    articleId:
      options.article === undefined
        ? required(base?.articleId, "--article")
        : resolveArticle(db, options.article, "--article"),
    storeId:
      options.store === undefined
        ? required(base?.storeId, "--store")
        : resolveStore(db, options.store, "--store"),
    date: options.date ?? required(base?.date, "--date"),
    direction: (options.direction ??
      required(base?.direction, "--direction")) as FeedbackInput["direction"],
    reason: (options.reason ?? required(base?.reason, "--reason")) as FeedbackInput["reason"],
    comment: options.comment === undefined ? (base?.comment ?? null) : options.comment,
  };
}

function withFeedbackOptions(command: Command): Command {
  return command
    .option("--article <reference>", "article (reference or id)")
    .option("--store <code>", "store (code or id)")
    .option("--date <date>", "the past day the forecast missed (YYYY-MM-DD)", parseIsoDateOption)
    .option("--direction <d>", "TROP_HAUT (forecast too high) or TROP_BAS (too low)")
    .option(
      "--reason <r>",
      "PROMOTION_NON_SAISIE, RUPTURE, EVENEMENT_EXCEPTIONNEL or ERREUR_DONNEES",
    )
    .option("--comment <text>", "free text (500 characters at most)")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON");
}

/** `optiflow feedback`: users' word on past forecasts (that day is left out of the next fit). */
export function registerFeedbackCommands(program: Command, context: CliContext): void {
  const feedback = program
    .command("feedback")
    .description("feedback on past forecasts (used by the next batch): list, add, edit, delete");

  feedback
    .command("list")
    .description("every feedback, latest first, pending or applied")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: FeedbackOptions) => {
      const db = openOptiflowReader(context.config(options.db).dbPath);
      try {
        const rows = listFeedback(db);
        if (options.json) return printJson({ feedback: rows });
        printTable(feedbackRows(rows));
      } finally {
        db.close();
      }
    });

  withFeedbackOptions(feedback.command("add").description("give feedback on a past day")).action(
    (options: FeedbackOptions) =>
      withCliWriter(context, options.db, async (writer) => {
        const input = checkFeedbackReferences(writer.db, feedbackFrom(writer.db, options, null));
        const row = await writer.write("forecast_feedback", input, (db, at) =>
          insertFeedback(db, input, at, writer.actor),
        );
        if (options.json) return printJson(row);
        printLines([`Feedback ${row.id} recorded: the next batch leaves that day out of the fit.`]);
      }),
  );

  withFeedbackOptions(
    feedback
      .command("edit")
      .description("correct a feedback: the options given replace its fields")
      .argument("<id>", "feedback id (see feedback list)", parsePositiveIntegerOption),
  ).action((id: number, options: FeedbackOptions) =>
    withCliWriter(context, options.db, async (writer) => {
      const current = getFeedback(writer.db, id);
      if (!current) throw new CliError(`<id>: no feedback with id ${id}`, 2);
      const input = checkFeedbackReferences(writer.db, feedbackFrom(writer.db, options, current));
      const row = await writer.write("correct_feedback", { id, ...input }, (db) =>
        correctFeedback(db, id, input),
      );
      if (options.json) return printJson(row);
      printLines([`Feedback ${id} corrected; the next batch takes it into account.`]);
      printTable(feedbackRows([row]));
    }),
  );

  feedback
    .command("delete")
    .description("withdraw a feedback: that day counts again from the next batch")
    .argument("<id>", "feedback id (see feedback list)", parsePositiveIntegerOption)
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((id: number, options: FeedbackOptions) =>
      withCliWriter(context, options.db, async (writer) => {
        if (!getFeedback(writer.db, id)) throw new CliError(`<id>: no feedback with id ${id}`, 2);
        const removed = await writer.write("withdraw_feedback", { id }, (db) =>
          withdrawFeedback(db, id),
        );
        if (options.json) return printJson({ removed });
        printLines([`Feedback ${id} withdrawn.`]);
      }),
    );
}
