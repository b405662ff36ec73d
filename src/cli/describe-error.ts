import { NotFoundError } from "../app/user-input.js";
import { ConfigError } from "../config.js";
import { BackupError } from "../data/backup.js";
import { DatabaseBusyError } from "../data/database-errors.js";
import {
  DatabaseNotFoundError,
  DatabaseNotWritableError,
  isNotWritableError,
} from "../data/open.js";
import { NewerOptiflowError } from "../data/optiflow/migrate.js";
import { OptiflowUpgradeError } from "../data/optiflow/open-optiflow.js";
import { NoPublicationError } from "../data/optiflow/published-results.js";
import { BatchInProgressError } from "../data/optiflow/runs-repository.js";
import { OptiflowSchemaError } from "../data/optiflow/schema-check.js";
import { UserInputError } from "../data/optiflow/users-repository.js";
import { DemoOptionsError } from "../demo/generate-demo.js";
import { InputError } from "../domain/input-error.js";
import { ImportError } from "../import/import-csv.js";
import { CliError } from "./cli-error.js";

/** One place that turns errors into what the user reads and the exit code scripts see. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof ConfigError || error instanceof DemoOptionsError)
    return { message: error.message, exitCode: 2 };
  if (error instanceof DatabaseNotFoundError) return { message: error.message, exitCode: 3 };
  if (error instanceof ImportError) return { message: error.message, exitCode: 4 };
  if (error instanceof BackupError) return { message: error.message, exitCode: 5 };
  if (error instanceof BatchInProgressError) return { message: error.message, exitCode: 7 };
  if (error instanceof NoPublicationError) return { message: error.message, exitCode: 8 };
  if (error instanceof DatabaseBusyError) return { message: error.message, exitCode: 9 };
  if (error instanceof OptiflowSchemaError) return { message: error.message, exitCode: 10 };
  if (error instanceof OptiflowUpgradeError) return { message: error.message, exitCode: 11 };
  if (error instanceof NewerOptiflowError) return { message: error.message, exitCode: 12 };
  if (error instanceof DatabaseNotWritableError) return { message: error.message, exitCode: 13 };
  if (error instanceof InputError || error instanceof UserInputError)
    return { message: error.message, exitCode: 2 };
  if (error instanceof NotFoundError) return { message: error.message, exitCode: 2 };
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB")
    return {
      message: `the database file is damaged or is not a SQLite database (${(error as Error).message}); see "optiflow db check"`,
      exitCode: 10,
    };
  const message = error instanceof Error ? error.message : String(error);
  // The file or its folder became read-only after it was opened (a disk remounted read-only).
  if (isNotWritableError(error))
    return { message: `the database can no longer be written (${message})`, exitCode: 13 };
  return { message: `unexpected error: ${message}`, exitCode: 1 };
}
