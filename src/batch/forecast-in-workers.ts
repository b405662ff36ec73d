import { ChunkPool, chunksOf } from "../concurrency/worker-job.js";
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
  /** Threads kept by the caller across several forecasts; otherwise started and ended here. */
  pool?: ChunkPool,
): Promise<ForecastJobResult[]> {
  const total = job.series.length;
  let done = 0;
  const threads = pool ?? forecastPool();
  try {
    const results = await threads.run(
      chunksOf(job.series, chunk, (series) => ({ ...job, series })),
      forecastJob,
      (finished) => {
        done += finished.series.length;
        onProgress(done, total);
      },
    );
    return results.flat();
  } finally {
    // Threads the caller keeps are the caller's to end.
    if (!pool) await threads.close();
  }
}

/** Worker threads for the forecasting, to keep across several calls of forecastInWorkers. */
export function forecastPool(): ChunkPool {
  return new ChunkPool(WORKER_URL);
}
