import { existsSync, readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { loadDotEnv } from "../config.js";
import { createCliContext } from "./cli-context.js";
import { registerAlertsCommands } from "./commands/alerts.js";
import { registerDashboardCommands } from "./commands/dashboard.js";
import { registerDbCommands } from "./commands/db.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerEventsCommands } from "./commands/events.js";
import { registerFeedbackCommands } from "./commands/feedback.js";
import { registerImportCommand } from "./commands/import.js";
import { registerMlCommands } from "./commands/ml.js";
import { registerOrdersCommands } from "./commands/orders.js";
import { registerPredictionsCommands } from "./commands/predictions.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerSettingsCommands } from "./commands/settings.js";
import { registerSimulateCommand } from "./commands/simulate.js";
import { registerUsersCommands } from "./commands/users.js";
import { describeError } from "./describe-error.js";

export function buildProgram(): Command {
  const context = createCliContext();
  const program = new Command("optiflow")
    .description("Optiflow: sales forecasts, stock alerts and order suggestions for retailers")
    .version(packageVersion(), "--version", "the installed version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerDemoCommand(program, context);
  registerImportCommand(program, context);
  registerDbCommands(program, context);
  registerMlCommands(program, context);
  registerAlertsCommands(program, context);
  registerDashboardCommands(program, context);
  registerPredictionsCommands(program, context);
  registerEventsCommands(program, context);
  registerFeedbackCommands(program, context);
  registerOrdersCommands(program, context);
  registerSettingsCommands(program, context);
  registerSimulateCommand(program, context);
  registerServeCommand(program, context);
  registerUsersCommands(program, context);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/** The version a bug report or a support call needs first: the nearest package.json above. */
function packageVersion(): string {
  // src/cli/ under the tests, dist/src/cli/ once built: not the same depth.
  for (let dir = new URL(".", import.meta.url); dir.pathname !== "/"; dir = new URL("..", dir)) {
    const file = new URL("package.json", dir);
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  }
  return "unknown";
}

export async function main(argv: string[]): Promise<void> {
  // `optiflow predictions export | head` closes the pipe early: that is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  try {
    loadDotEnv();
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (unknown option, bad argument, help). Its usage
      // errors exit with 1, the code of an unexpected failure; the README promises 2 for them.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const { message, exitCode } = describeError(error);
    process.stderr.write(`optiflow: ${message}\n`);
    process.exitCode = exitCode;
  }
}
