import { ChunkPool, chunksOf } from "../concurrency/worker-job.js";
import { type ForecastJob, type ForecastJobResult, forecastJob } from "./forecast-job.js";

const WORKER_URL = new URL("./forecast-worker.js", import.meta.url);
const CHUNK = 250;

/**
 * Step 2's forecasting spread over worker threads (one per core): the series are independent,
 * and the engine is CPU-bound. The pool runs a single chunk on the calling thread, and so
 * everything when only one core is available or when running from TypeScript sources (tests),
 * where the compiled worker does not exist. The pool is the caller's to end.
 */
export async function forecastInWorkers(
  job: ForecastJob,
  onProgress: (done: number, total: number) => void,
  pool: ChunkPool,
  /** Series per message to a worker (tests use small chunks to exercise the pool). */
  chunk = CHUNK,
): Promise<ForecastJobResult[]> {
  const total = job.series.length;
  let done = 0;
  const results = await pool.run(
    chunksOf(job.series, chunk, (series) => ({ ...job, series })),
    forecastJob,
    (finished) => {
      done += finished.series.length;
      onProgress(done, total);
    },
  );
  return results.flat();
}

/** Worker threads for the forecasting, to keep across several calls of forecastInWorkers. */
export function forecastPool(): ChunkPool {
  return new ChunkPool(WORKER_URL);
}

/**
 * The same, its threads started at once when `series` will fill more than one chunk (a run of
 * one chunk stays on the calling thread): they load the engine while the caller prepares the
 * job (step 2: the store-wide models, fitted on the main thread while the other core waited).
 */
export function forecastPoolAhead(series: number, chunk = CHUNK): ChunkPool {
  const pool = forecastPool();
  if (series > chunk) pool.start();
  return pool;
}
