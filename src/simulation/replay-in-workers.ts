import { chunksOf, runInChunks } from "../concurrency/worker-job.js";
import { type ReplayJob, type ReplayJobResult, replayJob } from "./replay-job.js";

const WORKER_URL = new URL("./replay-worker.js", import.meta.url);
const CHUNK = 500;
/** A replay thread holds one chunk at a time (a few megabytes): its heap is kept small. */
const HEAP_MB = 192;

/**
 * The replay spread over worker threads (one per core), each series independent; on the calling
 * thread when only one core is available or when running from TypeScript sources (tests).
 */
export async function replayInWorkers(
  job: ReplayJob,
  onProgress: (done: number, total: number) => void,
  /** Series per message to a worker (tests use small chunks to exercise the pool). */
  chunk = CHUNK,
): Promise<ReplayJobResult> {
  const total = job.series.length;
  let done = 0;
  const results = await runInChunks(
    WORKER_URL,
    chunksOf(job.series, chunk, (series) => ({ ...job, series })),
    replayJob,
    (finished) => {
      done += finished.series.length;
      onProgress(done, total);
    },
    { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } },
  );
  return {
    rows: results.flatMap((r) => r.rows),
    estimatedDays: results.reduce((n, r) => n + r.estimatedDays, 0),
  };
}
