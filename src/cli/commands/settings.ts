import type { Command } from "commander";
import { openOptiflowReader } from "../../data/optiflow/open-optiflow.js";
import { listSettings, writeSetting } from "../../data/optiflow/settings-repository.js";
import { parseSetting } from "../../domain/settings/settings.js";
import type { CliContext } from "../cli-context.js";
import { withCliWriter } from "../cli-write.js";
import { printJson, printLines, printTable } from "../output.js";

/** `optiflow settings list|set`: what the page's admin panel changes, from the command line. */
export function registerSettingsCommands(program: Command, context: CliContext): void {
  const settings = program
    .command("settings")
    .description("the settings the next batch uses: list, set (audited)");

  settings
    .command("list")
    .description("every setting, its value, default and accepted values")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: { db?: string; json?: boolean }) => {
      const db = openOptiflowReader(context.config(options.db).dbPath);
      try {
        const rows = listSettings(db);
        if (options.json) return printJson({ settings: rows });
        printTable(
          rows.map((r) => ({
            key: r.key,
            value: r.value,
            default: r.default,
            accepted: r.accepted,
            changed: r.updatedAt ? `${r.updatedAt.slice(0, 16)} ${r.updatedBy}` : "",
          })),
        );
      } finally {
        db.close();
      }
    });

  settings
    .command("set")
    .description("change a setting: the next batch uses it")
    .argument(
      "<key>",
      "margin_pct, count_open_orders, order_policy, service_level_a|b|c, country, carrying_cost_rate",
    )
    .argument("<value>", "the new value (see settings list for what each accepts)")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((key: string, value: string, options: { db?: string; json?: boolean }) =>
      withCliWriter(context, options.db, async (writer) => {
        const parsed = parseSetting(key, value);
        const previous = await writer.write("setting_changed", parsed, (db, at) =>
          writeSetting(db, parsed.key, parsed.value, at, writer.actor),
        );
        if (options.json) return printJson({ ...parsed, previous });
        printLines([
          `${parsed.key}: ${previous} → ${parsed.value} (used by the next batch: optiflow ml batch)`,
        ]);
      }),
    );
}
