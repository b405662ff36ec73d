import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { backupDatabase, isWholeBackup, listBackups } from "../../data/backup.js";
import { checkDatabaseFile, type DatabaseCheck } from "../../data/database-check.js";
import { databaseSchema, databaseStats } from "../../data/database-info.js";
import { legacyChecksums } from "../../data/legacy/checksum.js";
import { openDatabase, openDatabaseReadonly } from "../../data/open.js";
import { NewerOptiflowError } from "../../data/optiflow/migrate.js";
import { openOptiflowDatabase } from "../../data/optiflow/open-optiflow.js";
import { restoreOptiflowTables } from "../../data/optiflow/restore-optiflow.js";
import { RECOVERY_HINT } from "../../data/optiflow/schema-check.js";
import type { CliContext } from "../cli-context.js";
import { CliError } from "../cli-error.js";
import { printJson, printLines, printTable } from "../output.js";

interface DbOptions {
  db?: string;
  json?: boolean;
}

/** A readable base whose only fault is a newer Optiflow's tables: nothing to restore, exit 12. */
function isOnlyNewer(report: DatabaseCheck): boolean {
  return (
    report.newer.length > 0 &&
    report.integrity.join() === "ok" &&
    report.legacyTablesMissing.length === 0
  );
}

export function registerDbCommands(program: Command, context: CliContext): void {
  const db = program.command("db").description("inspect and back up the database");
  registerSchema(db, context);
  registerStats(db, context);
  registerBackup(db, context);
  registerCheck(db, context);
  registerRestore(db, context);
}

function registerSchema(db: Command, context: CliContext): void {
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
}

function registerStats(db: Command, context: CliContext): void {
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
}

function registerBackup(db: Command, context: CliContext): void {
  db.command("backup")
    .description(
      "take a consistent online backup of the whole file now (the newest OPTIFLOW_BACKUP_KEEP whole-file backups are kept, apart from the automatic ones)",
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
          // The whole file, legacy tables included; before its writes Optiflow copies only its own.
          scope: "whole",
        });
        const kept = listBackups(config.backupDir);
        if (options.json) return printJson({ backup: path, kept });
        const whole = kept.filter(isWholeBackup).length;
        printLines([
          `Backup written: ${path}`,
          `Whole-file backups kept (${whole}/${config.backupKeep}) in ${config.backupDir}, apart from the ${kept.length - whole} automatic backups of Optiflow's tables`,
        ]);
      } finally {
        connection.close();
      }
    });
}

function registerCheck(db: Command, context: CliContext): void {
  db.command("check")
    .description(
      "check Optiflow's tables against its migrations (and SQLite's quick integrity check)",
    )
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: DbOptions) => {
      const report = checkDatabaseFile(context.config(options.db).dbPath);
      if (options.json) printJson(report);
      else
        printLines([
          `SQLite integrity: ${report.integrity.join("; ")}`,
          report.legacyTablesMissing.length === 0
            ? "Legacy tables: all 18 present"
            : `Legacy tables missing: ${report.legacyTablesMissing.join(", ")} — this is not the retailer's database, or it is damaged`,
          report.newer.length > 0
            ? new NewerOptiflowError(report.newer).message
            : report.problems.length === 0
              ? "Optiflow tables: as the migrations made them"
              : `Optiflow tables damaged: ${report.problems.map((p) => `${p.table} ${p.problem}`).join("; ")}`,
          ...(report.pending.length === 0
            ? []
            : [
                `Optiflow tables from an older version: ${report.pending.map((m) => `migration ${m.version} (${m.name})`).join(", ")} still to apply; the next batch, the server's start or any reading command applies it`,
              ]),
          ...(report.ok || isOnlyNewer(report) ? [] : [`To recover: ${RECOVERY_HINT}.`]),
        ]);
      if (!report.ok) process.exitCode = isOnlyNewer(report) ? 12 : 10;
    });
}

function registerRestore(db: Command, context: CliContext): void {
  db.command("restore-optiflow")
    .description(
      "replace Optiflow's tables by those of a backup (legacy tables untouched); the current state is backed up first",
    )
    .requiredOption("--from <backup>", "backup file (see OPTIFLOW_BACKUP_DIR)")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action(async (options: DbOptions & { from: string }) => {
      const config = context.config(options.db);
      if (!existsSync(options.from))
        throw new CliError(`--from: ${options.from} does not exist`, 2);
      // No migrations here: they would trip over the very damage being repaired.
      const connection = openDatabase(config.dbPath, config.busyTimeoutMs);
      try {
        const safety = await backupDatabase(connection, {
          dir: config.backupDir,
          keep: config.backupKeep,
          now: context.now(),
        });
        const summary = restoreOptiflowTables(connection, resolve(options.from));
        if (options.json) return printJson({ ...summary, backupOfDamagedState: safety });
        printLines([
          `Optiflow's tables restored from ${summary.from} (the state before, as found: ${safety})`,
        ]);
        printTable(summary.tables.map((t) => ({ table: t.table, rows: t.rows })));
      } finally {
        connection.close();
      }
    });
}
