import type { Command } from "commander";
import { importCsvDirectory } from "../../import/import-csv.js";
import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";
import { printJson, printLines, printTable } from "../output.js";

export function registerImportCommand(program: Command, context: CliContext): void {
  program
    .command("import")
    .description(
      "build a legacy-schema database from CSV files, one per table (header = column names)",
    )
    .requiredOption("--dir <dir>", "folder holding magasins.csv, articles.csv, ventes.csv, …")
    .option("--db <path>", "database file to create (must not exist)")
    .option("--json", "print the summary as JSON")
    .action(async (options: { dir: string; db?: string; json?: boolean }) => {
      if (options.dir.trim() === "") throw new CliError("--dir: expected a folder", 2);
      const path = context.config(options.db).dbPath;
      let progress = false;
      // The progress line is rewritten in place (\r): ended before anything else is written, so
      // that an error or the summary starts on a line of its own, in a terminal as in a log.
      const endProgress = () => {
        if (progress) process.stderr.write("\n");
        progress = false;
      };
      const summary = await importCsvDirectory(path, options.dir, (table, rows) => {
        if (options.json) return;
        process.stderr.write(`import: ${table} ${rows} rows\r`);
        progress = true;
      }).finally(endProgress);
      if (options.json) return printJson(summary);
      printLines([`Imported into ${summary.path}`]);
      printTable(
        Object.entries(summary.rows).map(([table, rows]) => ({
          table,
          rows,
          encoding: summary.encodings[table as keyof typeof summary.encodings] ?? "",
        })),
      );
      if (summary.missingFiles.length > 0)
        printLines([`Tables left empty (no CSV): ${summary.missingFiles.join(", ")}`]);
      for (const o of summary.orphans) {
        printLines([
          `Warning: ${o.rows} row(s) of ${o.table} reference a missing ${o.parent} (kept; reported by the batch's data checks)`,
        ]);
      }
    });
}
