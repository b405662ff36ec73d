import { spawn } from "node:child_process";
import { putChildBelowThePages } from "../concurrency/below-the-pages.js";

/**
 * Runs `optiflow ml batch` in a child process. The server schedules the nightly batch this way
 * so that the batch's synchronous SQLite work never stalls the pages: their requests are served
 * by the server's event loop while the batch computes in another process (and on its own cores).
 *
 * A batch still running after `timeoutMs` is killed (SIGKILL): a hung night would otherwise hold
 * the batch lock every later night needs. That is safe at any moment: results are published by
 * one transaction at the end, so the previous publication stays served, and the next run takes
 * the dead holder's lock over (test/batch-kill.test.ts).
 */
export function runBatchProcess(
  cliEntry: string,
  dbPath: string,
  today: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<void> {
  return runScheduledCommand(
    cliEntry,
    ["ml", "batch", "--db", dbPath, "--today", today, "--json"],
    { env, timeoutMs, what: "batch", kept: "the previous publication stays served" },
  );
}

/**
 * Runs `optiflow simulate` (the last 13 weeks, both policies, every store) in a child process,
 * as the server does once a week after the nightly batch, so that the Dashboard's measured
 * savings stay recent without anyone typing the command. Killed after `timeoutMs` like the
 * batch: a replay is stored by one transaction at its end, so the previous one stays shown.
 */
export function runReplayProcess(
  cliEntry: string,
  dbPath: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<void> {
  return runScheduledCommand(cliEntry, ["simulate", "--db", dbPath, "--json"], {
    env,
    timeoutMs,
    what: "replay",
    kept: "the previous replay stays shown",
  });
}

interface ScheduledCommand {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Names the command in errors ("batch", "replay"). */
  what: string;
  /** What the user still sees when it is stopped. */
  kept: string;
}

function runScheduledCommand(
  cliEntry: string,
  args: readonly string[],
  { env, timeoutMs, what, kept }: ScheduledCommand,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...env, OPTIFLOW_BATCH_TRIGGER: "schedule" },
    });
    // The first users may open the pages while the night's work still runs: they go first. A
    // batch run by hand or by cron keeps its user's priority (`nice` is theirs to use).
    if (child.pid !== undefined) putChildBelowThePages(child.pid);
    const stderr: string[] = [];
    let timedOut = false;
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, timeoutMs)
      : undefined;
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (timedOut)
        reject(
          new Error(`${what} still running after ${formatDuration(timeoutMs)}: stopped; ${kept}`),
        );
      else if (code === 0) resolve();
      else reject(new Error(`${what} exited with code ${code}: ${lastLines(stderr.join(""))}`));
    });
  });
}

/** Its progress lines come first: the reason for a failure is at the end. */
function lastLines(text: string, count = 5): string {
  return text.trim().split("\n").slice(-count).join("\n");
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${ms / 1000} s`;
}
