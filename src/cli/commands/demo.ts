import type { Command } from "commander";
import { DEFAULT_DEMO_OPTIONS, generateDemoDatabase } from "../../demo/generate-demo.js";
import { isoFromDay } from "../../domain/calendar/days.js";
import type { CliContext } from "../cli-context.js";
import {
  parseIsoDateOption,
  parseNonNegativeIntegerOption,
  parsePositiveIntegerOption,
  parsePositiveNumberOption,
} from "../cli-error.js";
import { printJson, printTable } from "../output.js";
import { createProgressReporter } from "../progress.js";

export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command("demo")
    .description("create a realistic demo database in the retailer's legacy schema")
    .option("--db <path>", "database file to create (must not exist)")
    .option(
      "--articles <n>",
      "number of articles",
      parsePositiveIntegerOption,
      DEFAULT_DEMO_OPTIONS.articles,
    )
    .option(
      "--stores <n>",
      "number of stores",
      parsePositiveIntegerOption,
      DEFAULT_DEMO_OPTIONS.stores,
    )
    .option(
      "--years <n>",
      "years of history",
      parsePositiveNumberOption,
      DEFAULT_DEMO_OPTIONS.years,
    )
    .option(
      "--seed <n>",
      "random seed: same seed, same database",
      parseNonNegativeIntegerOption,
      DEFAULT_DEMO_OPTIONS.seed,
    )
    .option(
      "--today <date>",
      "first day without history (YYYY-MM-DD); default: today",
      parseIsoDateOption,
    )
    .option("--json", "print the summary as JSON")
    .action((options: DemoOptions) => createDemo(context, options));
}

interface DemoOptions {
  db?: string;
  articles: number;
  stores: number;
  years: number;
  seed: number;
  today?: string;
  json?: boolean;
}

function createDemo(context: CliContext, options: DemoOptions): void {
  const path = context.config(options.db).dbPath;
  const today = options.today ?? isoFromDay(Math.floor(context.now().getTime() / 86_400_000));
  const progress = createProgressReporter("demo", process.stderr);
  const started = performance.now();
  const summary = generateDemoDatabase(
    path,
    {
      articles: options.articles,
      stores: options.stores,
      years: options.years,
      seed: options.seed,
      today,
    },
    (p) => progress.update(p.done, p.total, "series"),
  );
  progress.stop();
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (options.json) {
    printJson({ ...summary, seconds });
    return;
  }
  process.stdout.write(
    `Demo database written to ${summary.path} in ${seconds} s (history ${summary.firstDay} → ${summary.lastDay})\n`,
  );
  printTable(Object.entries(summary.rows).map(([table, rows]) => ({ table, rows })));
}
