import pino, { type Logger } from "pino";
import type { Config } from "../config.js";
import { backupDatabase } from "../data/backup.js";
import { explainBusy } from "../data/database-errors.js";
import type { Db } from "../data/open.js";
import { openOptiflowDatabase } from "../data/optiflow/open-optiflow.js";
import {
  finishRun,
  type RunStatus,
  recordSteps,
  runSteps,
  type StepRow,
  startRun,
  updateStep,
} from "../data/optiflow/runs-repository.js";
import { assertOptiflowSchema } from "../data/optiflow/schema-check.js";
import { readSettings } from "../data/optiflow/settings-repository.js";
import { dayFromIso } from "../domain/calendar/days.js";
import { keepHeapNearLiveSize } from "../memory/heap-growth.js";
import {
  type BatchContext,
  type BatchSettings,
  type BatchStep,
  HISTORY_DAYS,
} from "./batch-context.js";
import { BATCH_STEPS } from "./batch-steps.js";

export interface BatchOptions {
  config: Config;
  /** The batch's "today" (YYYY-MM-DD): sales are known up to the day before. */
  today: string;
  trigger: "cli" | "schedule" | "manual";
  now?: () => Date;
  logger?: Logger;
  onProgress?: (step: BatchStep, label: string, done: number, total: number) => void;
  onStepDone?: (step: StepRow) => void;
  /** Steps made to fail on purpose (fault-injection tests). */
  failSteps?: readonly string[];
  /** Read the whole sales history from the legacy tables, ignoring the cache (`ml batch --full`). */
  fullHistory?: boolean;
}

export interface BatchResult {
  runId: number;
  status: RunStatus;
  published: boolean;
  backupPath: string;
  steps: StepRow[];
}

export function createBatchLogger(path: string, level: string): Logger {
  return pino(
    { level, base: { app: "optiflow-batch" } },
    pino.destination({ dest: path, mkdir: true, sync: true }),
  );
}

function batchSettings(db: Db): BatchSettings {
  const settings = readSettings(db);
  return {
    marginPct: settings.marginPct,
    countOpenOrders: settings.countOpenOrders,
    country: settings.country,
    orderPolicy: settings.orderPolicy,
    serviceLevels: settings.serviceLevels,
    carryingCostRate: settings.carryingCostRate,
    horizonDays: 63,
    historyDays: HISTORY_DAYS,
  };
}

/**
 * The nightly batch (SPEC §6): takes the lock, backs the database up, runs the steps in order;
 * a failing step is logged and recorded, the steps that need it are skipped with the reason, the
 * others go on. Publication (step 11) happens only when every step the pages need succeeded.
 */
export async function runBatch(options: BatchOptions): Promise<BatchResult> {
  const now = options.now ?? (() => new Date());
  const logger =
    options.logger ?? createBatchLogger(options.config.batchLogPath, options.config.logLevel);
  const today = dayFromIso(options.today);
  keepHeapNearLiveSize();
  const db = openForBatch(options.config, now);
  try {
    const runId = explainBusy(NOT_STARTED, () =>
      startRun(db, options.today, options.trigger, now().toISOString()),
    );
    logger.info({ runId, today: options.today, trigger: options.trigger }, "batch started");
    let backupPath = "";
    try {
      backupPath = await backupDatabase(db, {
        dir: options.config.backupDir,
        keep: options.config.backupKeep,
        now: now(),
      });
      logger.info({ runId, backupPath }, "backup taken");
    } catch (error) {
      finishRun(db, runId, "failed", now().toISOString(), (error as Error).message);
      logger.error({ runId, err: error }, "backup failed: batch not run");
      throw error;
    }
    recordSteps(db, runId, BATCH_STEPS);
    const current: { step: BatchStep | null } = { step: null };
    const ctx = createContext(db, runId, today, options, now, logger, current);
    const outcome = await runAllSteps(ctx, options, (step) => {
      current.step = step;
    });
    const published = outcome.get("11") === "succeeded";
    const failed = [...outcome.entries()].filter(([, s]) => s !== "succeeded").map(([id]) => id);
    const status: RunStatus = failed.length === 0 ? "succeeded" : "failed";
    finishRun(
      db,
      runId,
      published ? "succeeded" : status,
      now().toISOString(),
      failed.length > 0 ? `steps not completed: ${failed.join(", ")}` : null,
    );
    logger.info({ runId, published, failed }, "batch finished");
    return {
      runId,
      status: published ? "succeeded" : status,
      published,
      backupPath,
      steps: runSteps(db, runId),
    };
  } finally {
    db.close();
  }
}

const NOT_STARTED = "The batch did not start; the published results are unchanged.";

/** Opens and checks Optiflow's tables: a damaged base is reported before anything is written. */
function openForBatch(config: Config, now: () => Date): Db {
  const db = explainBusy(NOT_STARTED, () =>
    openOptiflowDatabase(config.dbPath, now, config.busyTimeoutMs),
  );
  try {
    assertOptiflowSchema(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function createContext(
  db: Db,
  runId: number,
  today: number,
  options: BatchOptions,
  now: () => Date,
  logger: Logger,
  current: { step: BatchStep | null },
): BatchContext {
  return {
    db,
    runId,
    today,
    todayIso: options.today,
    fullHistory: options.fullHistory ?? false,
    now,
    settings: batchSettings(db),
    logger,
    progress: (label, done, total) => {
      if (current.step) options.onProgress?.(current.step, label, done, total);
    },
    stores: [],
    articles: new Map(),
    series: [],
    forecasts: new Map(),
    alerts: new Map(),
    salesKept: new Map(),
    onHand: new Map(),
    openOrders: new Map(),
    activity: new Map(),
  };
}

type StepOutcome = "succeeded" | "failed" | "skipped";

/**
 * The steps in order, each once the steps it needs have settled. A step run `alongside` starts
 * after the step it names instead of at its place, and the next steps do not wait for it; the
 * last step, publication, waits for every step, so that the run it publishes is complete.
 */
async function runAllSteps(
  ctx: BatchContext,
  options: BatchOptions,
  onStart: (step: BatchStep) => void,
): Promise<Map<string, StepOutcome>> {
  const outcome = new Map<string, StepOutcome>();
  const running = new Map<string, Promise<StepOutcome>>();
  const start = (step: BatchStep) => {
    onStart(step);
    const run = runStep(ctx, step, outcome, options).then((result) => {
      outcome.set(step.id, result);
      running.delete(step.id);
      options.onStepDone?.(runSteps(ctx.db, ctx.runId).find((s) => s.step === step.id) as StepRow);
      return result;
    });
    running.set(step.id, run);
    return run;
  };
  const last = BATCH_STEPS[BATCH_STEPS.length - 1];
  for (const step of BATCH_STEPS) {
    if (step.alongside) continue;
    const waitFor =
      step === last ? [...running.keys()] : step.needs.filter((id) => running.has(id));
    for (const id of waitFor) await running.get(id);
    await start(step);
    for (const other of BATCH_STEPS) if (other.alongside?.after === step.id) void start(other);
  }
  // Nothing may outlive the run's connection (a step run alongside one after publication).
  await Promise.all(running.values());
  return outcome;
}

async function runStep(
  ctx: BatchContext,
  step: BatchStep,
  outcome: ReadonlyMap<string, string>,
  options: BatchOptions,
): Promise<StepOutcome> {
  const blocked = step.needs.filter((id) => outcome.get(id) !== "succeeded");
  if (blocked.length > 0) {
    const reason = `étape(s) ${blocked.join(", ")} non réussie(s)`;
    updateStep(ctx.db, ctx.runId, step.id, { status: "skipped", error: reason });
    ctx.logger.warn({ runId: ctx.runId, step: step.id, reason }, "step skipped");
    return "skipped";
  }
  const startedAt = ctx.now().toISOString();
  updateStep(ctx.db, ctx.runId, step.id, { status: "running", startedAt });
  const started = performance.now();
  try {
    if (options.failSteps?.includes(step.id))
      throw new Error(`injected failure of step ${step.id}`);
    const counts = await step.run(ctx);
    const durationMs = performance.now() - started;
    updateStep(ctx.db, ctx.runId, step.id, { status: "succeeded", durationMs, counts });
    ctx.logger.info(
      {
        runId: ctx.runId,
        step: step.id,
        name: step.name,
        durationMs: Math.round(durationMs),
        counts,
      },
      "step succeeded",
    );
    return "succeeded";
  } catch (error) {
    const durationMs = performance.now() - started;
    updateStep(ctx.db, ctx.runId, step.id, {
      status: "failed",
      durationMs,
      error: (error as Error).message,
    });
    ctx.logger.error(
      { runId: ctx.runId, step: step.id, name: step.name, err: error },
      "step failed",
    );
    return "failed";
  }
}
