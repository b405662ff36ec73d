import { runChunksInWorkers, workerThreads } from "../concurrency/worker-job.js";
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
  let done = 0;
  const results = await runChunksInWorkers<ForecastJob, ForecastJobResult[]>(
    WORKER_URL,
    chunks,
    threads,
    (finished) => {
      done += finished.series.length;
      onProgress(done, total);
    },
  );
  return results.flat();
}
