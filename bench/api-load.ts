import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { Agent, request } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

export interface EndpointLoad {
  path: string;
  encoding: string;
  requests: number;
  errors: number;
  coldMs: number;
  p50: number;
  p95: number;
  p99: number;
}

const PATHS = ["/api/alerts", "/api/dashboard", "/api/predictions", "/api/alerts?level=CRITIQUE"];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Each page API under `clients` concurrent clients for `seconds`, on loopback, against
 * `optiflow serve` on a database that holds a published batch. The first request (cold, before the per-run cache)
 * is reported on its own.
 */
export async function loadTestApi(
  dbPath: string,
  clients = 20,
  seconds = 5,
  encodings: readonly string[] = ["identity", "gzip"],
): Promise<EndpointLoad[]> {
  // The server runs in its own process, as in production: clients here do not share its event loop.
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      new URL("../../bin/optiflow.js", import.meta.url).pathname,
      "serve",
      "--db",
      dbPath,
      "--port",
      String(port),
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening")) resolve();
    });
    server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const results: EndpointLoad[] = [];
  try {
    for (const [encoding, path] of encodings.flatMap((e) => PATHS.map((p) => [e, p] as const))) {
      const headers = { "accept-encoding": encoding };
      const agent = new Agent({ keepAlive: true, maxSockets: clients });
      const get = () => httpGet(agent, base + path, headers);
      const coldStart = performance.now();
      await get();
      const coldMs = performance.now() - coldStart;
      const latencies: number[] = [];
      let errors = 0;
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (performance.now() < end) {
            const started = performance.now();
            try {
              if ((await get()) !== 200) errors++;
            } catch {
              errors++;
            }
            latencies.push(performance.now() - started);
          }
        }),
      );
      agent.destroy();
      latencies.sort((a, b) => a - b);
      results.push({
        path,
        encoding,
        requests: latencies.length,
        errors,
        coldMs,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
      });
    }
  } finally {
    server.kill("SIGTERM");
  }
  return results;
}

/**
 * One GET on a keep-alive connection, body read to the end (and inflated when gzipped, as a
 * browser would). node:http rather than fetch: the load generator shares the server's two cores,
 * and undici's fetch costs as much CPU per request as the server itself, which would measure the
 * client. Resolves with the status code.
 */
function httpGet(agent: Agent, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const body = Buffer.concat(chunks);
        if (response.headers["content-encoding"] === "gzip") gunzipSync(body);
        resolve(response.statusCode ?? 0);
      });
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
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

/** The built pages' bundle: raw and gzip sizes of web/dist/assets. */
export function bundleSizes(): { file: string; bytes: number; gzipBytes: number }[] {
  const dir = new URL("../../web/dist/assets/", import.meta.url).pathname;
  try {
    return readdirSync(dir).map((file) => {
      const path = join(dir, file);
      return { file, bytes: statSync(path).size, gzipBytes: gzipSync(readFileSync(path)).length };
    });
  } catch {
    return [];
  }
}
