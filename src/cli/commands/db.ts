import type { Command } from "commander";
import { backupDatabase, listBackups } from "../../data/backup.js";
import { databaseSchema, databaseStats } from "../../data/database-info.js";
import { legacyChecksums } from "../../data/legacy/checksum.js";
import { openDatabaseReadonly } from "../../data/open.js";
import { openOptiflowDatabase } from "../../data/optiflow/open-optiflow.js";
import type { CliContext } from "../cli-context.js";
import { printJson, printLines, printTable } from "../output.js";

interface DbOptions {
  db?: string;
  json?: boolean;
}

export function registerDbCommands(program: Command, context: CliContext): void {
  const db = program.command("db").description("inspect and back up the database");

  db.command("schema")
    .description("tables and columns: the retailer's legacy tables and Optiflow's own")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: DbOptions) => {
      const connection = openDatabaseReadonly(context.config(options.db).dbPath);
      try {
        const schema = databaseSchema(connection);
        if (options.json) return printJson(schema);
        for (const table of schema) {
          printLines([`${table.name} (${table.kind})`]);
          printLines(
            table.columns.map(
              (c) =>
                `  ${c.name} ${c.type}${c.notNull ? " NOT NULL" : ""}${c.primaryKey ? " PRIMARY KEY" : ""}`,
            ),
          );
        }
      } finally {
        connection.close();
      }
    });

  db.command("stats")
    .description("row counts, sales date range, migrations, legacy checksums")
    .option("--db <path>", "database file")
    .option("--checksums", "also compute a SHA-256 per legacy table (slower on big bases)")
    .option("--json", "print as JSON")
    .action((options: DbOptions & { checksums?: boolean }) => {
      const path = context.config(options.db).dbPath;
      const connection = openDatabaseReadonly(path);
      try {
        const stats = databaseStats(connection, path);
        const checksums = options.checksums ? legacyChecksums(connection) : undefined;
        if (options.json) return printJson({ ...stats, ...(checksums ? { checksums } : {}) });
        printLines([
          `Database: ${stats.path} (${(stats.sizeBytes / 1e6).toFixed(1)} MB)`,
          `Sales: ${stats.sales.firstDate ?? "-"} → ${stats.sales.lastDate ?? "-"}; ${stats.activeArticles} active articles, ${stats.activeStores} active stores`,
          `Migrations applied: ${stats.migrations.map((m) => m.version).join(", ") || "none"}`,
          ...(stats.legacyTablesMissing.length > 0
            ? [`Missing legacy tables: ${stats.legacyTablesMissing.join(", ")}`]
            : []),
          "",
        ]);
        printTable(
          stats.tables.map((t) => ({
            table: t.name,
            kind: t.kind,
            rows: t.rows,
            ...(checksums
              ? { sha256: (checksums as Record<string, string>)[t.name]?.slice(0, 16) ?? "" }
              : {}),
          })),
        );
      } finally {
        connection.close();
      }
    });

  db.command("backup")
    .description(
      "take a consistent online backup now (rotation keeps the newest OPTIFLOW_BACKUP_KEEP)",
    )
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action(async (options: DbOptions) => {
      const config = context.config(options.db);
      const connection = openOptiflowDatabase(config.dbPath, () => context.now());
      try {
        const path = await backupDatabase(connection, {
          dir: config.backupDir,
          keep: config.backupKeep,
          now: context.now(),
        });
        const kept = listBackups(config.backupDir);
        if (options.json) return printJson({ backup: path, kept });
        printLines([
          `Backup written: ${path}`,
          `Backups kept (${kept.length}/${config.backupKeep}) in ${config.backupDir}`,
        ]);
      } finally {
        connection.close();
      }
    });
}
