import type { Command } from "commander";
import { runBatchProcess, runReplayProcess } from "../../batch/batch-process.js";
import { runNight } from "../../batch/nightly-work.js";
import { createBatchLogger, runBatch } from "../../batch/run-batch.js";
import { scheduleNightlyBatch } from "../../batch/scheduler.js";
import { explainBusy } from "../../data/database-errors.js";
import { type Db, openDatabaseReadonly } from "../../data/open.js";
import { openOptiflowDatabase } from "../../data/optiflow/open-optiflow.js";
import { readPublication } from "../../data/optiflow/published-results.js";
import { checkOptiflowSchema, OptiflowSchemaError } from "../../data/optiflow/schema-check.js";
import { latestSimulationRef } from "../../data/optiflow/simulations-repository.js";
import { userCount } from "../../data/optiflow/users-repository.js";
import { isLoopback } from "../../server/access-control.js";
import { buildServer } from "../../server/build-server.js";
import type { CliContext } from "../cli-context.js";
import { CliError, parsePositiveIntegerOption } from "../cli-error.js";
import { localToday } from "./ml.js";

/** The server's writes wait in short synchronous slices, retried asynchronously (userWrite). */
const SERVER_BUSY_TIMEOUT_MS = 50;

interface ServeOptions {
  db?: string;
  host?: string;
  port?: number;
}

export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command("serve")
    .description("serve the API (and pages) and run the nightly batch at BATCH_TIME")
    .option("--db <path>", "database file")
    .option("--host <host>", "address to listen on (default OPTIFLOW_HOST or 127.0.0.1)")
    .option("--port <port>", "port (default OPTIFLOW_PORT or 8501)", parsePositiveIntegerOption)
    .action((options: ServeOptions) => serve(context, options));
}

type ServeConfig = ReturnType<CliContext["config"]>;

async function serve(context: CliContext, options: ServeOptions): Promise<void> {
  const base = context.config(options.db);
  const config = { ...base, host: options.host ?? base.host, port: options.port ?? base.port };
  if (config.port > 65535) throw new CliError("--port: expected a port from 1 to 65535", 2);
  prepareDatabase(config);
  const db = openDatabaseReadonly(config.dbPath);
  let writer: ReturnType<typeof openOptiflowDatabase> | null = null;
  const writeDb = () => {
    // A short wait: a page's write must not hold every reader while another program writes.
    writer ??= openOptiflowDatabase(config.dbPath, undefined, SERVER_BUSY_TIMEOUT_MS);
    return writer;
  };
  const logger = createBatchLogger(config.batchLogPath, config.logLevel);
  const schedule = scheduleBatch(context, config, logger, db);
  const app = buildServer({
    db,
    writeDb,
    config,
    now: () => context.now(),
    publication: () => readPublication(db, context.now(), config.cacheDurationHours),
    nextBatch: () => schedule.nextRun(),
    onError: (error) => logger.error({ err: error }, "request failed"),
  });
  const close = async () => {
    schedule.stop();
    await app.close();
    db.close();
    writer?.close();
    process.exit(0);
  };
  process.once("SIGINT", close);
  process.once("SIGTERM", close);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // Nothing may keep the process alive after a failed start (the schedule's timer would).
    schedule.stop();
    await app.close();
    db.close();
    throw listenError(error, config);
  }
  process.stdout.write(
    `Optiflow listening on http://${config.host}:${config.port} — next batch ${schedule.nextRun()?.toISOString() ?? "never"}\n`,
  );
}

/**
 * Migrations first, with a write connection (the server itself only reads); a damaged schema is
 * a warning, no user at all on an address beyond loopback a refusal.
 */
function prepareDatabase(config: ServeConfig): void {
  const setup = explainBusy("The server did not start.", () =>
    openOptiflowDatabase(config.dbPath, undefined, config.busyTimeoutMs),
  );
  const users = userCount(setup);
  const problems = checkOptiflowSchema(setup);
  setup.close();
  if (problems.length > 0)
    process.stderr.write(`warning: ${new OptiflowSchemaError(problems).message}\n`);
  if (!isLoopback(config.host) && users === 0) {
    throw new CliError(
      `refusing to listen on ${config.host} without any user: create one first with "optiflow users add <login> --role admin" (on loopback, no login is needed)`,
      2,
    );
  }
}

/**
 * The nightly batch at BATCH_TIME, in its own process (the pages stay responsive meanwhile), and
 * once every OPTIFLOW_REPLAY_EVERY_DAYS the replay of the ordering policy after it.
 */
function scheduleBatch(
  context: CliContext,
  config: ServeConfig,
  logger: ReturnType<typeof createBatchLogger>,
  db: Db,
) {
  const cliEntry = process.argv[1];
  const timeoutMs = config.batchTimeoutMinutes * 60_000;
  return scheduleNightlyBatch(
    config.batchTime,
    () =>
      runNight({
        runBatch: async () => {
          const today = localToday(context.now());
          if (cliEntry)
            await runBatchProcess(cliEntry, config.dbPath, today, process.env, timeoutMs);
          else await runBatch({ config, today, trigger: "schedule", logger });
        },
        latestReplayAt: () => latestSimulationRef(db, null)?.createdAt ?? null,
        // Only from a child: the replay's forecasting would otherwise hold the pages' thread.
        // With no command to start one (an embedding without argv[1]), replays are off.
        runReplay: async () => {
          if (!cliEntry) throw new Error("no optiflow command to run the replay in a child");
          await runReplayProcess(cliEntry, config.dbPath, process.env, timeoutMs);
        },
        now: () => context.now(),
        replayEveryDays: cliEntry ? config.replayEveryDays : 0,
        log: logger,
      }),
    (error) => logger.error({ err: error }, "scheduled batch failed"),
  );
}

/** A failed listen in the user's terms: which port or address, and what to do instead. */
function listenError(error: unknown, config: { host: string; port: number }): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE")
    return new CliError(
      `port ${config.port} on ${config.host} is already in use: stop the program using it or choose another with --port`,
      2,
    );
  if (code === "EADDRNOTAVAIL" || code === "EACCES")
    return new CliError(
      `cannot listen on ${config.host}:${config.port} (${code}): choose another --host or --port`,
      2,
    );
  return error;
}
