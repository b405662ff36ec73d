import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { demoDatabase } from "../src/test-support/demo-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/** `npm start`'s script (after the build): a first batch when nothing is published, then serve. */
const SCRIPT = new URL("../scripts/start.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-start-");
afterAll(() => temp.remove());

/** A port nothing listens on now: the script takes its port from OPTIFLOW_PORT, never 0. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("npm start", () => {
  it("runs a first batch and a first replay on a base with nothing published, then serves them", async () => {
    const path = demoDatabase(temp.path, "start.db", 9);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [SCRIPT], {
      env: { ...process.env, OPTIFLOW_DB_PATH: path, OPTIFLOW_PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const listening = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 90_000);
      child.stdout?.on("data", () => {
        if (output.includes("listening")) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.once("exit", () => resolve(false));
    });
    try {
      expect(listening, output).toBe(true);
      expect(output).toContain("running a first batch");
      const alerts = (await (await fetch(`${base}/api/alerts`)).json()) as {
        total: number;
      };
      expect(alerts.total).toBeGreaterThan(0);
      // …and a first replay, so that the Dashboard's measured savings are there from the start.
      expect(output).toContain("Replaying the last 13 weeks");
      const { simulation } = (await (await fetch(`${base}/api/simulation`)).json()) as {
        simulation: { weeks: number; policies: unknown[] } | null;
      };
      expect(simulation?.weeks).toBe(13);
      expect(simulation?.policies).toHaveLength(2);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    // Stopping the script stopped the server it started.
    await expect(fetch(`${base}/api/status`)).rejects.toThrow();
  }, 120_000);
});
