import { Worker } from "node:worker_threads";
import { workerThreads } from "../concurrency/worker-job.js";
import { type ForecastJob, type ForecastJobResult, forecastJob } from "./forecast-job.js";

const WORKER_URL = new URL("./forecast-worker.js", import.meta.url);
const CHUNK = 250;

/**
 * Step 2's forecasting spread over worker threads (one per core): the series are independent,
 * and the engine is CPU-bound. Falls back to the calling thread when only one core is available
 * or when running from TypeScript sources (tests), where the compiled worker does not exist.
 */
export async function forecastInWorkers(
  job: ForecastJob,
  onProgress: (done: number, total: number) => void,
  /** Series per message to a worker (tests use small chunks to exercise the pool). */
  chunk = CHUNK,
): Promise<ForecastJobResult[]> {
  const threads = workerThreads(WORKER_URL);
  const total = job.series.length;
  if (threads === 0 || total < 2 * chunk) {
    const results: ForecastJobResult[] = [];
    for (let start = 0; start < total; start += chunk) {
      results.push(...forecastJob({ ...job, series: job.series.slice(start, start + chunk) }));
      onProgress(Math.min(total, start + chunk), total);
    }
    return results;
  }
  const chunks: ForecastJob[] = [];
  for (let start = 0; start < total; start += chunk)
    chunks.push({ ...job, series: job.series.slice(start, start + chunk) });
  const results: ForecastJobResult[][] = new Array(chunks.length);
  let next = 0;
  let done = 0;
  const runWorker = async (): Promise<void> => {
    const worker = new Worker(WORKER_URL);
    try {
      while (next < chunks.length) {
        const index = next++;
        results[index] = await new Promise<ForecastJobResult[]>((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
          worker.postMessage(chunks[index]);
        });
        worker.removeAllListeners("error");
        done += chunks[index]?.series.length ?? 0;
        onProgress(done, total);
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: threads }, runWorker));
  return results.flat();
}
