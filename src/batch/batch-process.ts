import { spawn } from "node:child_process";

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
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cliEntry, "ml", "batch", "--db", dbPath, "--today", today, "--json"],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...env, OPTIFLOW_BATCH_TRIGGER: "schedule" } },
    );
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
          new Error(
            `batch still running after ${formatDuration(timeoutMs)}: stopped; ` +
              "the previous publication stays served",
          ),
        );
      else if (code === 0) resolve();
      else reject(new Error(`batch exited with code ${code}: ${stderr.join("").trim()}`));
    });
  });
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${ms / 1000} s`;
}
