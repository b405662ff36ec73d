import { spawn } from "node:child_process";
import type { Agent } from "node:http";
import { putChildBelowThePages } from "../src/concurrency/below-the-pages.js";
import { addDays } from "../src/domain/calendar/days.js";
import {
  httpRequest,
  keepAliveAgent,
  OPTIFLOW_BIN,
  percentile,
  startServer,
} from "./http-client.js";

export interface EndpointFigures {
  endpoint: string;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadDuringBatchResult {
  clients: number;
  seconds: number;
  batch: { seconds: number; exitCode: number | null; overlapSeconds: number };
  /** Alert answers per published run: before the switch, then after it. */
  answersByRun: Record<string, number>;
  endpoints: EndpointFigures[];
  total: EndpointFigures;
  errorSamples: string[];
}

interface Call {
  endpoint: string;
  method: string;
  url: string;
  json?: unknown;
}

/** Every endpoint of the API, reads and writes, with inputs a real page would send. */
function calls(
  {
    articleId,
    storeId,
    suggestedQty,
  }: { articleId: number; storeId: number; suggestedQty: number },
  today: string,
  serial: number,
): Call[] {
  const target = addDays(today, 10);
  // 1 to 5 times the suggestion: whole packs, and at least the minimum, as the supplier takes.
  const line = { articleId, storeId, quantity: suggestedQty * (1 + (serial % 5)) };
  return [
    { endpoint: "GET /api/status", method: "GET", url: "/api/status" },
    { endpoint: "GET /api/session", method: "GET", url: "/api/session" },
    { endpoint: "GET /api/alerts", method: "GET", url: "/api/alerts" },
    {
      endpoint: "GET /api/alerts?level=CRITIQUE",
      method: "GET",
      url: "/api/alerts?level=CRITIQUE",
    },
    { endpoint: "GET /api/alerts?search=", method: "GET", url: "/api/alerts?search=choc" },
    {
      endpoint: "GET /api/alerts/calc",
      method: "GET",
      url: `/api/alerts/calc?article=${articleId}&store=${storeId}&date=${target}&margin=10`,
    },
    { endpoint: "GET /api/dashboard", method: "GET", url: `/api/dashboard?store=${storeId}` },
    { endpoint: "GET /api/predictions", method: "GET", url: "/api/predictions" },
    {
      endpoint: "GET /api/predictions?article=",
      method: "GET",
      url: `/api/predictions?article=${articleId}&store=${storeId}`,
    },
    { endpoint: "GET /api/catalog", method: "GET", url: "/api/catalog" },
    { endpoint: "GET /api/events", method: "GET", url: "/api/events" },
    { endpoint: "GET /api/feedback", method: "GET", url: "/api/feedback" },
    { endpoint: "GET /api/orders/lines", method: "GET", url: "/api/orders/lines" },
    {
      endpoint: "POST /api/events",
      method: "POST",
      url: "/api/events",
      json: { name: `Charge ${serial}`, type: "LOCAL", start: target, end: target },
    },
    {
      endpoint: "POST /api/feedback",
      method: "POST",
      url: "/api/feedback",
      json: {
        articleId,
        storeId,
        date: addDays(today, -3),
        direction: "TROP_BAS",
        reason: "RUPTURE",
      },
    },
    { endpoint: "PUT /api/orders/lines", method: "PUT", url: "/api/orders/lines", json: line },
    {
      endpoint: "DELETE /api/orders/lines/:a/:s",
      method: "DELETE",
      url: `/api/orders/lines/${articleId}/${storeId}`,
    },
  ];
}

/**
 * `clients` concurrent clients cycling over every endpoint for `seconds`, and on until a full
 * batch (`optiflow ml batch`, its own process, as the server's scheduler runs it) has
 * recomputed and published on the same database. Any answer other than 2xx counts as an error.
 */
export async function loadDuringBatch(
  dbPath: string,
  today: string,
  clients = 50,
  seconds = 60,
  log: (line: string) => void = () => {},
  withBatch = true,
): Promise<LoadDuringBatchResult> {
  const server = await startServer(dbPath);
  const agent = keepAliveAgent(clients);
  try {
    // An article with a suggested order: its quantity is one the supplier takes (whole packs,
    // at least the minimum), as the draft order a page sends.
    const listed = JSON.parse(
      (await httpRequest(agent, `${server.base}/api/alerts?limit=100`)).body.toString(),
    ) as { alerts: { articleId: number; storeId: number; suggestedQty: number }[] };
    const first = listed.alerts.find((a) => a.suggestedQty > 0);
    if (!first) throw new Error("no alert with a suggested quantity among the first 100");
    const { articleId, storeId, suggestedQty } = first;
    const latencies = new Map<string, number[]>();
    const errors = new Map<string, number>();
    const errorSamples: string[] = [];
    const answersByRun: Record<string, number> = {};
    const started = performance.now();
    const end = started + seconds * 1000;
    const batch = withBatch
      ? startBatch(dbPath, today)
      : Promise.resolve({ seconds: 0, exitCode: null, endedAt: started });
    // Until 5 s after the batch ends, so that the new run is seen served under load too.
    let batchRunning = withBatch;
    void batch.then(() =>
      setTimeout(() => {
        batchRunning = false;
      }, 5000),
    );
    log(`load: ${clients} clients × ${seconds} s${withBatch ? ", batch started" : ", no batch"}`);
    let serial = 0;
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        // At least `seconds`, and on past the batch's publication: the switch happens under load.
        for (let i = client; performance.now() < end || batchRunning; i++) {
          const list = calls({ articleId, storeId, suggestedQty }, today, serial++);
          const call = list[i % list.length]!;
          const t0 = performance.now();
          const outcome = await send(agent, server.base, call);
          const samples = latencies.get(call.endpoint) ?? [];
          samples.push(performance.now() - t0);
          latencies.set(call.endpoint, samples);
          if (outcome.error) {
            errors.set(call.endpoint, (errors.get(call.endpoint) ?? 0) + 1);
            if (errorSamples.length < 10) errorSamples.push(`${call.endpoint}: ${outcome.error}`);
          }
          if (outcome.runId !== undefined)
            answersByRun[outcome.runId] = (answersByRun[outcome.runId] ?? 0) + 1;
        }
      }),
    );
    const loadEnded = performance.now();
    const batchResult = await batch;
    log("load: finished");
    const all: number[] = [];
    const endpoints = [...latencies.entries()].map(([endpoint, samples]) => {
      all.push(...samples);
      return figures(endpoint, samples, errors.get(endpoint) ?? 0);
    });
    return {
      clients,
      seconds,
      batch: {
        seconds: batchResult.seconds,
        exitCode: batchResult.exitCode,
        overlapSeconds: (Math.min(batchResult.endedAt, loadEnded) - started) / 1000,
      },
      answersByRun,
      endpoints,
      total: figures(
        "all endpoints",
        all,
        [...errors.values()].reduce((a, b) => a + b, 0),
      ),
      errorSamples,
    };
  } finally {
    agent.destroy();
    server.stop();
  }
}

async function send(
  agent: Agent,
  base: string,
  call: Call,
): Promise<{ error?: string; runId?: number }> {
  try {
    const answer = await httpRequest(agent, base + call.url, {
      method: call.method,
      ...(call.json === undefined ? {} : { json: call.json }),
    });
    if (answer.status < 200 || answer.status >= 300)
      return { error: `${answer.status} ${answer.body.toString().slice(0, 200)}` };
    if (call.endpoint === "GET /api/alerts")
      return { runId: (JSON.parse(answer.body.toString()) as { runId: number }).runId };
    return {};
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function figures(endpoint: string, samples: number[], errorCount: number): EndpointFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    endpoint,
    requests: sorted.length,
    errors: errorCount,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

function startBatch(
  dbPath: string,
  today: string,
): Promise<{ seconds: number; exitCode: number | null; endedAt: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [OPTIFLOW_BIN, "ml", "batch", "--db", dbPath, "--today", today, "--json"],
    { stdio: ["ignore", "ignore", "ignore"] },
  );
  // As the server's scheduler starts it: below the server's priority (batch-process.ts).
  if (child.pid !== undefined) putChildBelowThePages(child.pid);
  return new Promise((resolve) => {
    child.once("exit", (exitCode) => {
      const endedAt = performance.now();
      resolve({ seconds: (endedAt - started) / 1000, exitCode, endedAt });
    });
  });
}
