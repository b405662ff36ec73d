import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { httpRequest, keepAliveAgent, percentile, startServer } from "./http-client.js";

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
  const server = await startServer(dbPath);
  const results: EndpointLoad[] = [];
  try {
    for (const [encoding, path] of encodings.flatMap((e) => PATHS.map((p) => [e, p] as const))) {
      const headers = { "accept-encoding": encoding };
      const agent = keepAliveAgent(clients);
      const get = async () => (await httpRequest(agent, server.base + path, { headers })).status;
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
    server.stop();
  }
  return results;
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
