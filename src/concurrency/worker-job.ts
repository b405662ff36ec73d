import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * Worker threads Optiflow may use for one piece of work: one per core, at most 4; 0 when the
 * compiled worker file is absent (running from TypeScript sources, as tests do), so that the
 * caller does the work on its own thread.
 */
export function workerThreads(workerUrl: URL): number {
  if (!existsSync(workerUrl)) return 0;
  const threads = Math.min(availableParallelism(), 4);
  return threads < 2 ? 0 : threads;
}

/** Runs one job on a new worker thread: resolves with the first message it posts. */
export function runWorkerJob<Result>(workerUrl: URL, job: unknown): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: job });
    worker.once("message", (result: Result) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`worker ${workerUrl.pathname} exited with code ${code}`));
    });
  });
}

/**
 * Chunks of independent work spread over worker threads (one per core): each thread takes the
 * next chunk as it finishes one, so uneven chunks still balance. Results come back in the
 * chunks' order. The worker answers each message with one result message. With a single chunk,
 * or no worker available (see workerThreads), `runHere` does the work on the calling thread.
 */
export async function runInChunks<Chunk, Result>(
  workerUrl: URL,
  chunks: readonly Chunk[],
  runHere: (chunk: Chunk) => Result,
  onChunkDone: (chunk: Chunk) => void,
  options: WorkerOptions = {},
): Promise<Result[]> {
  const pool = new ChunkPool(workerUrl, options);
  try {
    return await pool.run(chunks, runHere, onChunkDone);
  } finally {
    await pool.close();
  }
}

export interface WorkerOptions {
  resourceLimits?: { maxOldGenerationSizeMb: number };
}

/**
 * The same, with threads kept between runs: `optiflow simulate` forecasts 13 origins one after
 * the other, and new threads compiled the engine anew for each (10,000 articles: 175–198 s with
 * new threads per origin, 159–160 s with kept ones, for a peak 15–20 MiB higher). Started on
 * the first run that needs them; `close` ends them.
 */
export class ChunkPool {
  private workers: Worker[] | null = null;

  constructor(
    private readonly workerUrl: URL,
    private readonly options: WorkerOptions = {},
  ) {}

  async run<Chunk, Result>(
    chunks: readonly Chunk[],
    runHere: (chunk: Chunk) => Result,
    onChunkDone: (chunk: Chunk) => void,
  ): Promise<Result[]> {
    const threads = workerThreads(this.workerUrl);
    if (threads === 0 || chunks.length < 2)
      return chunks.map((chunk) => {
        const result = runHere(chunk);
        onChunkDone(chunk);
        return result;
      });
    this.workers ??= Array.from(
      { length: threads },
      () => new Worker(this.workerUrl, this.options),
    );
    const results: Result[] = new Array(chunks.length);
    let next = 0;
    const drain = async (worker: Worker): Promise<void> => {
      while (next < chunks.length) {
        const index = next++;
        results[index] = await new Promise<Result>((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
          worker.postMessage(chunks[index]);
        });
        worker.removeAllListeners("error");
        onChunkDone(chunks[index] as Chunk);
      }
    };
    await Promise.all(this.workers.map(drain));
    return results;
  }

  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = null;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** `items` cut into slices of `size`, each put into a job of its own by `toJob`. */
export function chunksOf<Item, Job>(
  items: readonly Item[],
  size: number,
  toJob: (slice: Item[]) => Job,
): Job[] {
  const jobs: Job[] = [];
  for (let start = 0; start < items.length; start += size)
    jobs.push(toJob(items.slice(start, start + size)));
  return jobs;
}
