import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  ALL_ARTICLES,
  type ArticleIdRange,
  type DailySales,
  readDailySales,
} from "../data/legacy/read-sales.js";
import type { Db } from "../data/open.js";

const WORKER_URL = new URL("./read-sales-worker.js", import.meta.url);

export interface SalesReadJob {
  dbPath: string;
  firstDay: number;
  endDay: number;
  firstIso: string;
  endIso: string;
  articles: ArticleIdRange;
}

/** What a worker sends back: the series' buffers are transferred, not copied. */
export interface SalesReadPart {
  keys: string[];
  buffers: ArrayBuffer[];
  storeDays: [number, string[]][];
}

/**
 * Reading three years of sales is most of step 2 on a large base, and better-sqlite3 spends it
 * turning rows into JS values on one thread. Each worker thread opens its own read-only
 * connection and reads the sales of one range of article ids; the parts are merged here. Falls
 * back to the calling thread on one core or when running from TypeScript sources (tests).
 */
export async function readDailySalesInWorkers(
  db: Db,
  job: Omit<SalesReadJob, "dbPath" | "articles">,
): Promise<DailySales> {
  const threads = Math.min(availableParallelism(), 4);
  if (threads < 2 || !existsSync(WORKER_URL) || db.memory)
    return readDailySales(db, job.firstDay, job.endDay, job.firstIso, job.endIso);
  const ranges = articleRanges(db, threads);
  const parts = await Promise.all(
    ranges.map((articles) => readPart({ ...job, dbPath: db.name, articles })),
  );
  return mergeParts(parts, job.endDay - job.firstDay);
}

/** Ranges of article ids with about as many articles each; the outer ones are open-ended. */
export function articleRanges(db: Db, count: number): ArticleIdRange[] {
  const ids = (db.prepare("SELECT id FROM articles ORDER BY id").raw(true).all() as [number][]).map(
    ([id]) => id,
  );
  if (ids.length < count) return [ALL_ARTICLES];
  const bounds = Array.from(
    { length: count - 1 },
    (_, i) => ids[Math.floor(((i + 1) * ids.length) / count)] as number,
  );
  const edges = [ALL_ARTICLES.from, ...bounds, ALL_ARTICLES.to];
  return bounds.length === 0
    ? [ALL_ARTICLES]
    : edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1] as number }));
}

function readPart(job: SalesReadJob): Promise<SalesReadPart> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: job });
    worker.once("message", (part: SalesReadPart) => {
      resolve(part);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`sales reader exited with code ${code}`));
    });
  });
}

function mergeParts(parts: readonly SalesReadPart[], length: number): DailySales {
  const series = new Map<string, Float64Array>();
  const storeDays = new Map<number, Set<string>>();
  for (const part of parts) {
    part.keys.forEach((key, i) => {
      series.set(key, new Float64Array(part.buffers[i] as ArrayBuffer, 0, length));
    });
    for (const [storeId, dates] of part.storeDays) {
      const set = storeDays.get(storeId) ?? new Set<string>();
      for (const date of dates) set.add(date);
      storeDays.set(storeId, set);
    }
  }
  return { series, storeDays };
}
