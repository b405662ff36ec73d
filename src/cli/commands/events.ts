import type { Command } from "commander";
import { checkEventReferences, correctEvent, withdrawEvent } from "../../app/user-input.js";
import { openOptiflowReader } from "../../data/optiflow/open-optiflow.js";
import {
  type DeclaredEvent,
  getEvent,
  insertEvent,
  listEvents,
} from "../../data/optiflow/user-input-repository.js";
import type { DeclaredEventInput } from "../../domain/user-input/declared-event.js";
import type { CliContext } from "../cli-context.js";
import { CliError, parseIsoDateOption, parsePositiveIntegerOption } from "../cli-error.js";
import { withCliWriter } from "../cli-write.js";
import { printJson, printLines, printTable } from "../output.js";
import { resolveArticle, resolveCategory, resolveStore } from "../resolve-names.js";

interface EventOptions {
  db?: string;
  json?: boolean;
  name?: string;
  type?: string;
  start?: string;
  end?: string;
  store?: string;
  category?: string;
  article?: string;
  impact?: string;
}

function parseImpact(value: string): number | null {
  if (value === "none" || value === "") return null;
  const n = Number(value.replace(",", "."));
  if (!Number.isFinite(n))
    throw new CliError(
      `--impact: expected a percentage such as 30 or -20, or "none", got "${value}"`,
      2,
    );
  return n;
}

function eventRows(events: readonly DeclaredEvent[]) {
  return events.map((e) => ({
    id: e.id,
    name: e.name,
    type: e.type,
    start: e.start,
    end: e.end,
    store: e.storeId ?? "",
    category: e.categoryId ?? "",
    article: e.articleId ?? "",
    impact_pct: e.impactPct ?? "",
    by: e.createdBy,
  }));
}

/** Options → event: every option given replaces the field; the others keep `base`'s value. */
function eventFrom(
  db: Parameters<typeof resolveStore>[0],
  options: EventOptions,
  base: DeclaredEventInput | null,
): DeclaredEventInput {
  const required = (value: string | undefined, option: string) => {
    if (value === undefined) throw new CliError(`${option} is required`, 2);
    return value;
  };
  const scope = (value: string | undefined, resolve: () => number, current: number | null) =>
    value === undefined ? current : value === "none" ? null : resolve();
  return {
    name: options.name ?? required(base?.name, "--name"),
    type: options.type ?? required(base?.type, "--type"),
    start: options.start ?? required(base?.start, "--start"),
    end: options.end ?? options.start ?? required(base?.end, "--end"),
    storeId: scope(
      options.store,
      () => resolveStore(db, options.store!, "--store"),
      base?.storeId ?? null,
    ),
    categoryId: scope(
      options.category,
      () => resolveCategory(db, options.category!, "--category"),
      base?.categoryId ?? null,
    ),
    articleId: scope(
      options.article,
      () => resolveArticle(db, options.article!, "--article"),
      base?.articleId ?? null,
    ),
    impactPct:
      options.impact === undefined ? (base?.impactPct ?? null) : parseImpact(options.impact),
  };
}

function withEventOptions(command: Command): Command {
  return command
    .option("--name <name>", "what it is (Fête du quartier)")
    .option("--type <TYPE>", "LOCAL, PROMOTION, METEO… (capitals and _)")
    .option("--start <date>", "first day (YYYY-MM-DD)", parseIsoDateOption)
    .option("--end <date>", "last day (YYYY-MM-DD; default: the first)", parseIsoDateOption)
    .option("--store <code>", 'one store (code or id; "none": every store)')
    .option("--category <name>", 'one category (name or id; "none": all)')
    .option("--article <reference>", 'one article (reference or id; "none": all)')
    .option("--impact <pct>", 'expected change of sales in % (e.g. 30, -20); "none": learned')
    .option("--db <path>", "database file")
    .option("--json", "print as JSON");
}

/** `optiflow events`: the events users declare, as on the Alerts page. */
export function registerEventsCommands(program: Command, context: CliContext): void {
  const events = program
    .command("events")
    .description("events users declare (used by the next batch): list, add, edit, delete");

  events
    .command("list")
    .description("every declared event, latest first")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: EventOptions) => {
      const db = openOptiflowReader(context.config(options.db).dbPath);
      try {
        const rows = listEvents(db);
        if (options.json) return printJson({ events: rows });
        printTable(eventRows(rows));
      } finally {
        db.close();
      }
    });

  withEventOptions(events.command("add").description("declare an event")).action(
    (options: EventOptions) =>
      withCliWriter(context, options.db, async (writer) => {
        const event = checkEventReferences(writer.db, eventFrom(writer.db, options, null));
        const row = await writer.write("declare_event", event, (db, at) =>
          insertEvent(db, event, at, writer.actor),
        );
        if (options.json) return printJson(row);
        printLines([`Event ${row.id} declared: it will be used by the next batch.`]);
      }),
  );

  withEventOptions(
    events
      .command("edit")
      .description("correct an event: the options given replace its fields")
      .argument("<id>", "event id (see events list)", parsePositiveIntegerOption),
  ).action((id: number, options: EventOptions) =>
    withCliWriter(context, options.db, async (writer) => {
      const current = getEvent(writer.db, id);
      if (!current) throw new CliError(`<id>: no event with id ${id}`, 2);
      const event = checkEventReferences(writer.db, eventFrom(writer.db, options, current));
      const row = await writer.write("correct_event", { id, ...event }, (db) =>
        correctEvent(db, id, event),
      );
      if (options.json) return printJson(row);
      printLines([`Event ${id} corrected.`]);
      printTable(eventRows([row]));
    }),
  );

  events
    .command("delete")
    .description("withdraw an event: the next batch no longer uses it")
    .argument("<id>", "event id (see events list)", parsePositiveIntegerOption)
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((id: number, options: EventOptions) =>
      withCliWriter(context, options.db, async (writer) => {
        if (!getEvent(writer.db, id)) throw new CliError(`<id>: no event with id ${id}`, 2);
        const removed = await writer.write("withdraw_event", { id }, (db) => withdrawEvent(db, id));
        if (options.json) return printJson({ removed });
        printLines([`Event ${id} (${removed.name}) withdrawn.`]);
      }),
    );
}
