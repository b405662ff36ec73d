import { runChunksInWorkers, workerThreads } from "../concurrency/worker-job.js";
import { type ReplayJob, type ReplayJobResult, replayJob } from "./replay-job.js";

const WORKER_URL = new URL("./replay-worker.js", import.meta.url);
const CHUNK = 500;
/**
 * A replay thread holds one chunk at a time (a few megabytes): a small heap makes V8 collect
 * the replay's short-lived arrays as it goes instead of letting them pile up.
 */
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
  const chunks: ReplayJob[] = [];
  for (let start = 0; start < total; start += chunk)
    chunks.push({ ...job, series: job.series.slice(start, start + chunk) });
  const threads = workerThreads(WORKER_URL);
  let done = 0;
  const progress = (chunk: ReplayJob) => {
    done += chunk.series.length;
    onProgress(done, total);
  };
  const results =
    threads === 0 || chunks.length < 2
      ? chunks.map((chunk) => {
          const result = replayJob(chunk);
          progress(chunk);
          return result;
        })
      : await runChunksInWorkers<ReplayJob, ReplayJobResult>(
          WORKER_URL,
          chunks,
          threads,
          progress,
          {
            resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
          },
        );
  return {
    rows: results.flatMap((r) => r.rows),
    estimatedDays: results.reduce((n, r) => n + r.estimatedDays, 0),
  };
}
