import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { gunzipSync } from "node:zlib";

export interface HttpAnswer {
  status: number;
  body: Buffer;
}

/**
 * One request on a keep-alive connection, body read to the end (and inflated when gzipped, as a
 * browser would). node:http rather than fetch: the load generator shares the server's two cores,
 * and undici's fetch costs as much CPU per request as the server itself, which would measure the
 * client.
 */
export function httpRequest(
  agent: Agent,
  url: string,
  options: { method?: string; headers?: Record<string, string>; json?: unknown } = {},
): Promise<HttpAnswer> {
  const payload = options.json === undefined ? null : Buffer.from(JSON.stringify(options.json));
  const headers = {
    ...options.headers,
    ...(payload
      ? { "content-type": "application/json", "content-length": String(payload.length) }
      : {}),
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: options.method ?? "GET", headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const raw = Buffer.concat(chunks);
        const body = response.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload ?? undefined);
  });
}

export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets });
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export const OPTIFLOW_BIN = new URL("../../bin/optiflow.js", import.meta.url).pathname;

/** `optiflow serve` in its own process, as in production; resolves once it listens. */
export async function startServer(dbPath: string): Promise<{ base: string; stop: () => void }> {
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [OPTIFLOW_BIN, "serve", "--db", dbPath, "--port", String(port)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    server.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening")) resolve();
    });
    server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, stop: () => server.kill("SIGTERM") };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
