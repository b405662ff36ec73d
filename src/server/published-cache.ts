import { pipeline, Readable } from "node:stream";
import { setImmediate } from "node:timers/promises";
import { createGzip, gzipSync } from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Publication } from "../data/optiflow/published-results.js";

/**
 * Published figures are forecasts and ratios: digits past the third decimal are noise to a reader
 * and a third of the bytes on the wire (a 120-row alert list shrinks by about a third).
 */
export function roundForWire(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isInteger(value)
    ? Math.round(value * 1000) / 1000
    : value;
}

interface CachedAnswer {
  json: string;
  gzip: Buffer;
}

/**
 * Published results never change once published: an answer computed for run N stays right until
 * run N+1 is published. Answers are cached serialized and gzipped, keyed by run, freshness state
 * and request; a new publication (or the results turning stale) simply stops matching. Bounded,
 * oldest entries evicted first.
 */
export class PublishedResponseCache {
  private readonly entries = new Map<string, CachedAnswer>();

  constructor(private readonly maxEntries = 200) {}

  get(publication: Publication, key: string, compute: () => unknown): CachedAnswer {
    const cacheKey = `${publication.runId}|${publication.stale}|${publication.lastFailure?.runId ?? ""}|${key}`;
    const hit = this.entries.get(cacheKey);
    if (hit !== undefined) return hit;
    const json = JSON.stringify(compute(), roundForWire);
    const answer = { json, gzip: gzipSync(json, { level: 6 }) };
    this.entries.set(cacheKey, answer);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return answer;
  }
}

/** Sends a cached answer, compressed when the client accepts gzip (browsers do). */
export function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: CachedAnswer,
): FastifyReply {
  reply.type("application/json").header("vary", "accept-encoding");
  if (acceptsGzip(request)) {
    return reply.header("content-encoding", "gzip").send(answer.gzip);
  }
  return reply.send(answer.json);
}

/** Below this, gzip's header and checksum weigh more than they save. */
const GZIP_FROM_BYTES = 1024;

/**
 * Sends a text computed for this request (a CSV export), compressed when the client accepts gzip
 * (browsers do, and save the file decompressed): an export of every alert of a large chain is
 * megabytes of text, and gzip sends about a fifth of it (134 KB to 24 KB on the demo's 966 rows).
 */
export function sendText(
  request: FastifyRequest,
  reply: FastifyReply,
  type: string,
  text: string,
): FastifyReply {
  reply.type(type).header("vary", "accept-encoding");
  if (acceptsGzip(request) && Buffer.byteLength(text) >= GZIP_FROM_BYTES)
    return reply.header("content-encoding", "gzip").send(gzipSync(text, { level: 6 }));
  return reply.send(text);
}

/**
 * Sends a text made as the client reads it (an export of every forecast: tens of megabytes on a
 * large chain), gzipped when the client accepts it. `release` runs once the text is sent or the
 * download is dropped, whichever comes first: it closes what the chunks are read from. Chunks
 * made on this thread are paced (oneChunkPerTurn); chunks from another thread come one per
 * message, each its own turn already.
 */
export function sendStream(
  request: FastifyRequest,
  reply: FastifyReply,
  type: string,
  chunks: Iterable<string> | AsyncIterable<string>,
  release: () => void,
): FastifyReply {
  reply.type(type).header("vary", "accept-encoding");
  const paced = Symbol.asyncIterator in chunks ? chunks : oneChunkPerTurn(chunks);
  const text = Readable.from(paced, { objectMode: false });
  text.once("close", release);
  if (!acceptsGzip(request)) return reply.send(text);
  // pipeline, not pipe: a failed read aborts the download rather than leaving it hanging, and a
  // dropped download stops the reading.
  const gzip = pipeline(text, createGzip({ level: 6 }), () => {});
  return reply.header("content-encoding", "gzip").send(gzip);
}

/**
 * Lets the event loop turn between chunks. A client that reads as fast as the server writes (a
 * browser on the shop's network) never makes a write wait, so a synchronous source would be read
 * to its end in one go: every other request, the pages', would wait for the whole download,
 * seconds for a chain's forecasts (`npm run bench:export` measures the pages beside downloads).
 */
async function* oneChunkPerTurn(chunks: Iterable<string>): AsyncGenerator<string> {
  for (const chunk of chunks) {
    yield chunk;
    await setImmediate();
  }
}

function acceptsGzip(request: FastifyRequest): boolean {
  return /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
}
