import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parentPort, Worker } from "node:worker_threads";

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

/*
 * Threads are left to end by themselves, never terminate()d: terminating a thread while V8 still
 * compiles its code in the background can abort the whole process (Node 20.20, seen once in CI:
 * "Assertion failed: (data.first) != nullptr" in NodePlatform::ForIsolate).
 */

/**
 * Runs one job on a new worker thread: resolves with the first message it posts, once the thread
 * has ended (the worker script posts once and ends), so that its memory is given back before the
 * caller goes on.
 */
export function runWorkerJob<Result>(workerUrl: URL, job: unknown): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: job });
    const answer: { result?: Result } = {};
    worker.once("message", (result: Result) => {
      answer.result = result;
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`worker ${workerUrl.pathname} exited with code ${code}`));
      else if (!("result" in answer))
        reject(new Error(`worker ${workerUrl.pathname} ended without an answer`));
      else resolve(answer.result as Result);
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
  private exits: Promise<void>[] = [];

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
    const workers = this.start();
    const results: Result[] = new Array(chunks.length);
    let next = 0;
    const drain = async (worker: Worker): Promise<void> => {
      while (next < chunks.length) {
        const index = next++;
        results[index] = await new Promise<Result>((resolve, reject) => {
          // A thread that ends without answering (killed, out of memory) fails the run instead
          // of leaving it waiting forever.
          const ended = (code: number) =>
            reject(
              new Error(`worker ${this.workerUrl.pathname} ended (code ${code}) during a job`),
            );
          worker.once("message", (result: Result) => {
            worker.off("exit", ended);
            resolve(result);
          });
          worker.once("error", reject);
          worker.once("exit", ended);
          worker.postMessage(chunks[index]);
        });
        worker.removeAllListeners("error");
        onChunkDone(chunks[index] as Chunk);
      }
    };
    await Promise.all(workers.map(drain));
    return results;
  }

  /**
   * Starts the threads now, if this machine gives any (workerThreads), rather than on the first
   * run: a caller that knows the pool will be used lets the threads load their modules while it
   * prepares the work. Returns them (none without worker threads).
   */
  start(): Worker[] {
    if (this.workers) return this.workers;
    const threads = workerThreads(this.workerUrl);
    if (threads === 0) return [];
    const workers = Array.from({ length: threads }, () => new Worker(this.workerUrl, this.options));
    this.workers = workers;
    this.exits = workers.map((w) => new Promise<void>((end) => w.once("exit", () => end())));
    return workers;
  }

  /**
   * Ends the threads once their current job is done (see serveJobs), waiting `graceMs` at most:
   * every result is in by then, and a thread that does not end is a leak, not a reason to hang
   * the night. Such a thread is unref()d, not terminated (see above), so that it cannot keep the
   * process alive, and a warning says so. Resolves with the threads that did not end.
   *
   * Seen in tests under load (Node 20.20; native stacks taken with gdb on 2026-12-02): an ending
   * thread waits in NodePlatform::DrainTasks for every background task of the process, while
   * two background TurboFan compile jobs wait in V8's CollectionBarrier for a garbage
   * collection their isolate's thread never runs (most likely an ending thread, busy waiting).
   * Nothing moves again, and every thread that ends later joins the wait: a deadlock inside
   * Node/V8, not in Optiflow's code.
   */
  async close(graceMs = CLOSE_GRACE_MS): Promise<Worker[]> {
    const workers = this.workers ?? [];
    this.workers = null;
    const ended = new Set<Worker>();
    const exits = workers.map((worker, k) => this.exits[k]?.then(() => ended.add(worker)));
    for (const worker of workers) worker.postMessage(END_OF_JOBS);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((done) => {
      timer = setTimeout(done, graceMs);
    });
    await Promise.race([Promise.all(exits), grace]).finally(() => clearTimeout(timer));
    const stuck = workers.filter((worker) => !ended.has(worker));
    for (const worker of stuck) worker.unref();
    if (stuck.length > 0)
      process.emitWarning(
        `${stuck.length} worker thread(s) of ${this.workerUrl.pathname} still running ` +
          `${graceMs / 1000} s after their last job; left behind`,
        { code: "OPTIFLOW_STUCK_WORKER" },
      );
    return stuck;
  }
}

/**
 * How long ChunkPool.close waits for its threads to end: they end within milliseconds of their
 * last answer (the 10,000-article nights), so a minute is only ever reached by a stuck thread.
 */
const CLOSE_GRACE_MS = 60_000;

/**
 * An exception as it may leave a worker thread: a native Error with the same name, message,
 * code and stack. Node copies an exception to the parent thread by structured clone, which
 * keeps a native Error whole but of better-sqlite3's SqliteError (not one) only its `code`: a
 * step failed on a worker thread's SQL error said nothing of why. Worker scripts throw this.
 */
export function plainError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const plain = new Error(error.message);
  plain.name = error.name;
  plain.stack = error.stack;
  if ("code" in error) Object.assign(plain, { code: error.code });
  return plain;
}

/**
 * A worker script's one job on a database it opens and closes: any exception, the opening's
 * included (a missing file, a permission), leaves the thread as a plainError.
 */
export function onWorkerDatabase<Db extends { close(): void }>(
  open: () => Db,
  work: (db: Db) => void,
): void {
  let db: Db | undefined;
  try {
    db = open();
    work(db);
  } catch (error) {
    throw plainError(error);
  } finally {
    db?.close();
  }
}

/** What ChunkPool.close sends each of its threads. */
const END_OF_JOBS = null;

/**
 * A pool thread's message loop: `answer` handles each job (and posts its one result); the end
 * of jobs closes the port, and the thread ends by itself.
 */
export function serveJobs<Job>(answer: (job: Job) => void): void {
  parentPort?.on("message", (job: Job | typeof END_OF_JOBS) => {
    if (job === END_OF_JOBS) parentPort?.close();
    else
      try {
        answer(job);
      } catch (error) {
        throw plainError(error);
      }
  });
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
