import { spawn } from "node:child_process";

/**
 * Runs `optiflow ml batch` in a child process. The server schedules the nightly batch this way
 * so that the batch's synchronous SQLite work never stalls the pages: their requests are served
 * by the server's event loop while the batch computes in another process (and on its own cores).
 */
export function runBatchProcess(
  cliEntry: string,
  dbPath: string,
  today: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cliEntry, "ml", "batch", "--db", dbPath, "--today", today, "--json"],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...env, OPTIFLOW_BATCH_TRIGGER: "schedule" } },
    );
    const stderr: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`batch exited with code ${code}: ${stderr.join("").trim()}`));
    });
  });
}
