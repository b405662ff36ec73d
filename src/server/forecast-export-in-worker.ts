import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { BusyError } from "./api-error.js";
import { type ForecastExportJob, openForecastExport } from "./forecast-export.js";
import {
  type ExportMessage,
  type ExportOrder,
  receivedError,
  sentError,
} from "./forecast-export-messages.js";

const WORKER_URL = new URL("./forecast-export-worker.js", import.meta.url);

/** A download begun: its file's name, its text as the client takes it, and how to stop it. */
export interface StartedForecastExport {
  fileName: string;
  chunks: Iterable<string> | AsyncIterable<string>;
  /** Stops the reading and closes its connection; does nothing once the text has ended. */
  close(): void;
}

/**
 * Starts a forecast download on a thread of its own, which opens its own connection, reads and
 * writes the CSV, and hands the server one chunk at a time, the next made while this one is
 * sent. Writing a chain's forecasts is seconds of work: on the server's thread, even in chunks,
 * it shares the one thread the pages are answered on (`npm run bench:export` measures the pages
 * beside downloads). Runs on the calling thread when the compiled worker is absent (tests from
 * TypeScript sources); `sendStream` then paces the chunks.
 *
 * At most MAX_EXPORT_THREADS downloads run at once; the next ones wait for one to end, for
 * `placeWithinMs` at most, then are refused as busy (503 `too_many_downloads`), as is one whose
 * `signal` aborts while it waits (its client gone): no thread is started for either.
 *
 * Rejects, before anything is sent, with what the route would have thrown: no publication, an
 * unreadable base.
 */
export async function startForecastExport(
  job: ForecastExportJob,
  { startWithinMs = START_WITHIN_MS, placeWithinMs = PLACE_WITHIN_MS, signal }: StartOptions = {},
): Promise<StartedForecastExport> {
  if (!existsSync(WORKER_URL)) return openForecastExport(job);
  await threads.take(placeWithinMs, signal);
  let thread: ExportThread;
  try {
    thread = new ExportThread(new Worker(WORKER_URL, { workerData: job }));
  } catch (error) {
    threads.give();
    throw error;
  }
  const first = await thread.mailbox.next(startWithinMs);
  if (first.type !== "ready") {
    thread.leaveBehind();
    if (first.type === "failed") throw receivedError(first.error);
    throw new Error(`forecast export: unexpected ${first.type} first`);
  }
  return { fileName: first.fileName, chunks: thread.chunks(), close: () => thread.stop() };
}

export interface StartOptions {
  /** How long a started thread may keep silent before its first answer. */
  startWithinMs?: number;
  /** How long a download may wait for a place. */
  placeWithinMs?: number;
  /** Aborted when the client is gone: a download still waiting for a place gives up. */
  signal?: AbortSignal;
}

/**
 * A whole chain's file is written in seconds (`npm run bench:export`: 1.7 s for 2,000 articles ×
 * 2 stores), so four places still taken a minute later are held by slow clients or a script's
 * loop. Past this, a download is told to come back (`Retry-After`) rather than left hanging.
 */
const PLACE_WITHIN_MS = 60_000;

/**
 * A thread opens its connection and reads its first series in milliseconds (about 40 ms before
 * the first byte), and a read kept waiting by a lock fails after SQLite's 10 s busy timeout. One
 * silent for this long is left behind, its place given back: a thread that never started or
 * hangs (RELIABILITY.md §4 tells of Node 20 threads that hang).
 */
const START_WITHIN_MS = 30_000;

/** One download's thread, from the server's side: its messages, its place, how to stop it. */
class ExportThread {
  readonly mailbox: Mailbox;
  private over = false;
  private placeHeld = true;

  constructor(private readonly worker: Worker) {
    this.mailbox = new Mailbox(worker);
    worker.once("exit", () => this.givePlaceBack());
  }

  private tell(order: ExportOrder): void {
    this.worker.postMessage(order);
  }

  /** Told to stop, given back its place, and no longer keeping the process alive. */
  leaveBehind(): void {
    this.stop();
    this.worker.unref();
  }

  /**
   * Once the download is over, or its thread gone, whichever comes first: not only on exit, as
   * a thread may hang while it ends (Node 20, see RELIABILITY.md §4), and four such would leave
   * every later download waiting.
   */
  givePlaceBack(): void {
    if (this.placeHeld) threads.give();
    this.placeHeld = false;
  }

  /** Threads end by themselves once told to stop, never terminate()d (see worker-job.ts). */
  stop(): void {
    if (!this.over) this.tell("stop");
    this.over = true;
    this.givePlaceBack();
  }

  /** The text, a chunk per message; the next one is asked for before this one is sent. */
  async *chunks(): AsyncGenerator<string> {
    try {
      this.tell("next");
      for (;;) {
        const message = await this.mailbox.next();
        if (message.type === "end" || message.type === "failed") this.over = true;
        if (message.type === "failed") throw receivedError(message.error);
        if (message.type !== "chunk") return;
        this.tell("next");
        yield message.text;
      }
    } finally {
      this.stop();
    }
  }
}

/**
 * Each download thread holds its own connection, SQLite cache and chunks: a few at once keep the
 * cores busy, and a hundred clicks, or a script's loop, must not become a hundred threads.
 * Downloads beyond wait their turn rather than being refused.
 */
export const MAX_EXPORT_THREADS = 4;

/** Places for threads: taken before one starts, given back once its download is over. */
class Slots {
  private readonly waiting: (() => void)[] = [];

  constructor(private free: number) {}

  /** A place, within `withinMs`, unless `signal` aborts first: else a BusyError, no place taken. */
  take(withinMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(clientGone());
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (!error) return resolve();
        const at = this.waiting.indexOf(turn);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(error);
      };
      const turn = () => settle();
      const onAbort = () => settle(clientGone());
      const timer = setTimeout(() => settle(noPlace(withinMs)), withinMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(turn);
    });
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

const threads = new Slots(MAX_EXPORT_THREADS);

function noPlace(waitedMs: number): BusyError {
  const seconds = Math.ceil(waitedMs / 1000);
  return new BusyError(
    "too_many_downloads",
    `${MAX_EXPORT_THREADS} forecast downloads still running after ${seconds} s: try again later`,
    seconds,
  );
}

/** Answered to nobody: the route's reply is already closed. */
function clientGone(): BusyError {
  return new BusyError("too_many_downloads", "client gone while waiting for a download place", 1);
}

/** The thread's messages in order, each taken once; its crash or early end read as a failure. */
class Mailbox {
  private readonly queue: ExportMessage[] = [];
  private waiting: ((message: ExportMessage) => void) | null = null;

  constructor(worker: Worker) {
    worker.on("message", (message: ExportMessage) => this.deliver(message));
    worker.once("error", (error) => this.deliver({ type: "failed", error: sentError(error) }));
    // After "end" or "stop" nobody reads this one; before, the thread died without a word.
    worker.once("exit", (code) =>
      this.deliver({
        type: "failed",
        error: { name: "Error", message: `forecast export thread ended early (code ${code})` },
      }),
    );
  }

  /** The next message; past `withinMs`, a failure that says the thread kept silent. */
  next(withinMs?: number): Promise<ExportMessage> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer =
        withinMs === undefined
          ? undefined
          : setTimeout(() => {
              this.waiting = null;
              const message = `forecast export thread silent for ${withinMs / 1000} s: left behind`;
              resolve({ type: "failed", error: { name: "Error", message } });
            }, withinMs);
      this.waiting = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }

  private deliver(message: ExportMessage): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting(message);
    else this.queue.push(message);
  }
}
