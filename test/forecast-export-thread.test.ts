import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { getPriority } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PredictionsExportQuery } from "../src/contract/pages.js";
import { openDatabaseReadonly } from "../src/data/open.js";
import { openOptiflowDatabase } from "../src/data/optiflow/open-optiflow.js";
import { readPublication } from "../src/data/optiflow/published-results.js";
import {
  type ForecastExportJob,
  forecastExportJob,
  openForecastExport,
} from "../src/server/forecast-export.js";
import type { ServerDeps } from "../src/server/server-deps.js";
import { demoDatabase } from "../src/test-support/demo-fixture.js";
import {
  fixtureNow,
  publishedDemo,
  startTestServer,
  testConfig,
} from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * The forecast download on a thread of its own, through the built modules (workers load compiled
 * files): the same file as on the server's thread, the same refusals, one snapshot; a dropped
 * download lets go of the base; at most 4 threads at once, a download kept waiting too long refused
 * as busy, none started for a client gone while waiting; each below the server's priority; a
 * silent one is left behind. From sources the export runs on the calling thread, which
 * src/server/predictions-export.test.ts covers.
 */
const BUILT = new URL("../dist/src/server/forecast-export-in-worker.js", import.meta.url);
const BUILT_SERVER = new URL("../dist/src/server/build-server.js", import.meta.url);
const temp = createTempDir("optiflow-export-thread-");
type Built = typeof import("../src/server/forecast-export-in-worker.js");
let built: Built;
let dbPath: string;

const job = (path: string, query: PredictionsExportQuery = {}): ForecastExportJob =>
  forecastExportJob(
    { config: { dbPath: path, cacheDurationHours: 24 }, now: fixtureNow } as ServerDeps,
    query,
  );

/** Each thread's nice value (Linux keeps one per thread): field 19 of /proc/self/task/ID/stat. */
function threadNiceValues(): number[] {
  return readdirSync("/proc/self/task").flatMap((id) => {
    try {
      const stat = readFileSync(`/proc/self/task/${id}/stat`, "utf8");
      return [Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16])];
    } catch {
      return []; // a thread that ended meanwhile
    }
  });
}

/** What the server's thread writes for the same job. */
function hereText(j: ForecastExportJob): { fileName: string; text: string } {
  const download = openForecastExport(j);
  try {
    return { fileName: download.fileName, text: [...download.chunks].join("") };
  } finally {
    download.close();
  }
}

beforeAll(async () => {
  if (!existsSync(BUILT)) return;
  built = (await import(BUILT.href)) as Built;
  // 30 articles in 2 stores: several chunks of 1,500 lines.
  ({ path: dbPath } = await publishedDemo(temp.path, "thread.db", 30));
}, 120_000);
afterAll(() => temp.remove());

describe.skipIf(!existsSync(BUILT))("forecast export on its own thread", () => {
  it("writes the file the server's thread writes, for every scope, in several chunks", async () => {
    const queries: PredictionsExportQuery[] = [{}, { store: 2 }, { store: 1, article: 3 }];
    // A search by the first word of an article's name, as typed in the Predictions page's box.
    const firstLine = hereText(job(dbPath, { article: 5, store: 1 })).text.split("\r\n")[1];
    queries.push({ search: firstLine?.split(";")[3]?.split(" ")[0] });
    for (const query of queries) {
      const expected = hereText(job(dbPath, query));
      const download = await built.startForecastExport(job(dbPath, query));
      expect(Symbol.asyncIterator in download.chunks, "read on another thread").toBe(true);
      const chunks: string[] = [];
      for await (const chunk of download.chunks) chunks.push(chunk);
      expect(download.fileName).toBe(expected.fileName);
      expect(chunks.join(""), JSON.stringify(query)).toBe(expected.text);
      if (query.store === undefined && query.search === undefined)
        expect(chunks.length).toBeGreaterThan(2);
    }
  });

  it("refuses as the route would before anything is sent: no publication, no base", async () => {
    const unpublished = demoDatabase(temp.path, "unpublished.db", 6);
    await expect(built.startForecastExport(job(unpublished))).rejects.toMatchObject({
      name: "ApiError",
      statusCode: 503,
      code: "not_published",
    });
    const garbage = join(temp.path, "not-a-base.db");
    writeFileSync(
      garbage,
      "this is not SQLite, but long enough to be read as a header...".repeat(20),
    );
    await expect(built.startForecastExport(job(garbage))).rejects.toMatchObject({
      code: "SQLITE_NOTADB",
    });
  });

  it("lets go of the base when the download is dropped halfway", async () => {
    const { path } = await publishedDemo(temp.path, "thread-dropped.db", 30);
    const writer = openOptiflowDatabase(path, fixtureNow);
    try {
      const download = await built.startForecastExport(job(path));
      const chunks = (download.chunks as AsyncIterable<string>)[Symbol.asyncIterator]();
      await chunks.next();
      // A write after the thread's snapshot began (a real change: SQLite skips identical bytes):
      // a full checkpoint must wait for that reader.
      writer.prepare("UPDATE optiflow_forecasts SET forecast = forecast + 1").run();
      writer.pragma("busy_timeout = 0"); // answer at once rather than wait for the reader
      const checkpointBusy = () =>
        (writer.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[])[0]?.busy;
      expect(checkpointBusy(), "the thread holds its snapshot").toBe(1);
      // What the server does when the client goes: the stream returns its iterator.
      await chunks.return?.();
      let busy = checkpointBusy();
      for (let i = 0; i < 1000 && busy !== 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
        busy = checkpointBusy();
      }
      expect(busy, "the thread closed its connection").toBe(0);
    } finally {
      writer.close();
    }
  });

  it("runs at most MAX_EXPORT_THREADS downloads at once, the next one waiting for a place", async () => {
    const max = built.MAX_EXPORT_THREADS;
    const running = await Promise.all(
      Array.from({ length: max }, () => built.startForecastExport(job(dbPath))),
    );
    let started = false;
    const next = built.startForecastExport(job(dbPath)).then((download) => {
      started = true;
      return download;
    });
    // Every place is taken by a download its client has not read: the next waits, not refused.
    await new Promise((r) => setTimeout(r, 200));
    expect(started).toBe(false);
    running[0]?.close();
    const waited = await next;
    expect(started).toBe(true);
    const expected = hereText(job(dbPath)).text;
    let text = "";
    for await (const chunk of waited.chunks) text += chunk;
    expect(text).toBe(expected);
    for (const download of running.slice(1)) download.close();
  });

  it("refuses as busy a download kept waiting too long, or whose client left, taking no place", async () => {
    const running = await Promise.all(
      Array.from({ length: built.MAX_EXPORT_THREADS }, () =>
        built.startForecastExport(job(dbPath)),
      ),
    );
    try {
      await expect(
        built.startForecastExport(job(dbPath), { placeWithinMs: 200 }),
      ).rejects.toMatchObject({
        statusCode: 503,
        code: "too_many_downloads",
        retryAfter: 1,
        message: `${built.MAX_EXPORT_THREADS} forecast downloads still running after 1 s: try again later`,
      });
      const leaving = new AbortController();
      const left = built.startForecastExport(job(dbPath), { signal: leaving.signal });
      leaving.abort();
      await expect(left).rejects.toMatchObject({ code: "too_many_downloads" });
      // Neither kept a turn: the place given back goes to the next download, at once.
      running.pop()?.close();
      const next = built.startForecastExport(job(dbPath), { placeWithinMs: 1000 });
      (await next).close();
    } finally {
      for (const download of running) download.close();
    }
  });

  it("starts no thread for an HTTP client that leaves while its download waits", async () => {
    const { buildServer } = (await import(
      BUILT_SERVER.href
    )) as typeof import("../src/server/build-server.js");
    const config = testConfig(temp.path, dbPath, "thread-left");
    const db = openDatabaseReadonly(dbPath);
    const app = buildServer({
      db,
      writeDb: () => {
        throw new Error("read only");
      },
      config,
      now: fixtureNow,
      publication: () => readPublication(db, fixtureNow(), config.cacheDurationHours),
      nextBatch: () => null,
    });
    const running = await Promise.all(
      Array.from({ length: built.MAX_EXPORT_THREADS }, () =>
        built.startForecastExport(job(dbPath)),
      ),
    );
    try {
      const base = await app.listen({ host: "127.0.0.1", port: 0 });
      const request = get(`${base}/api/predictions/export`);
      request.on("error", () => {});
      await new Promise((r) => setTimeout(r, 300));
      request.destroy();
      await new Promise((r) => setTimeout(r, 300));
      // Had the request kept its turn, the place given back would go to it, and a download
      // allowed 1 ms to find one would be refused.
      running.pop()?.close();
      (await built.startForecastExport(job(dbPath), { placeWithinMs: 1 })).close();
    } finally {
      for (const download of running) download.close();
      await app.close();
      db.close();
    }
  });

  it.skipIf(process.platform !== "linux")(
    "runs below the caller's priority, which stays as it was",
    async () => {
      const mine = getPriority();
      const download = await built.startForecastExport(job(dbPath));
      try {
        // The thread is alive until closed: one task of the process runs 10 nice steps lower.
        expect(threadNiceValues()).toContain(Math.min(mine + 10, 19));
        expect(getPriority()).toBe(mine);
      } finally {
        download.close();
      }
    },
  );

  it("leaves behind a thread that keeps silent, giving its place back", async () => {
    const { path } = await publishedDemo(temp.path, "thread-locked.db", 30);
    // Another program holds the base locked: a thread's first read waits there (10 s, then
    // SQLITE_BUSY), silent meanwhile.
    const holder = new Database(path);
    holder.pragma("locking_mode = EXCLUSIVE");
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const silent = await Promise.allSettled(
        Array.from({ length: built.MAX_EXPORT_THREADS }, () =>
          built.startForecastExport(job(path), { startWithinMs: 200 }),
        ),
      );
      for (const start of silent) {
        expect(start.status).toBe("rejected");
        expect(String((start as PromiseRejectedResult).reason)).toMatch(
          /forecast export thread silent for 0.2 s: left behind/,
        );
      }
      // Every place was given back: a fifth download gets one while those threads still wait.
      const fifth = built.startForecastExport(job(path), { startWithinMs: 200 }).then(
        () => "started",
        (error: Error) => error.message,
      );
      const stillLocked = new Promise((r) => setTimeout(() => r("no place within 5 s"), 5000));
      expect(await Promise.race([fifth, stillLocked])).toMatch(/silent for 0.2 s/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    const after = await built.startForecastExport(job(path));
    let text = "";
    for await (const chunk of after.chunks) text += chunk;
    expect(text).toBe(hereText(job(path)).text);
  });

  it("reads one snapshot: rows deleted after its first chunk are still in the file", async () => {
    const { path } = await publishedDemo(temp.path, "thread-snapshot.db", 30);
    const expected = hereText(job(path)).text;
    const writer = openOptiflowDatabase(path, fixtureNow);
    try {
      const download = await built.startForecastExport(job(path));
      const chunks = (download.chunks as AsyncIterable<string>)[Symbol.asyncIterator]();
      let text = (await chunks.next()).value as string;
      expect(writer.prepare("DELETE FROM optiflow_forecasts").run().changes).toBeGreaterThan(0);
      for (let next = await chunks.next(); !next.done; next = await chunks.next())
        text += next.value;
      expect(text).toBe(expected);
      expect(hereText(job(path)).text.split("\r\n")).toHaveLength(2);
    } finally {
      writer.close();
    }
  });

  it("is what a server built from the compiled modules sends, plain and gzipped", async () => {
    const { buildServer } = (await import(
      BUILT_SERVER.href
    )) as typeof import("../src/server/build-server.js");
    const config = testConfig(temp.path, dbPath, "thread-server");
    const here = startTestServer(config);
    const db = openDatabaseReadonly(dbPath);
    const app = buildServer({
      db,
      writeDb: () => here.writer,
      config,
      now: fixtureNow,
      publication: () => readPublication(db, fixtureNow(), config.cacheDurationHours),
      nextBatch: () => null,
    });
    try {
      const url = "/api/predictions/export?store=1";
      const expected = (await here.app.inject({ method: "GET", url })).body;
      const plain = await app.inject({ method: "GET", url });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers["content-disposition"]).toContain("previsions-MAG01-");
      expect(plain.body).toBe(expected);
      const gzip = await app.inject({ method: "GET", url, headers: { "accept-encoding": "gzip" } });
      expect(gzip.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(gzip.rawPayload).toString("utf8")).toBe(expected);
      const refused = await app.inject({ method: "GET", url: "/api/predictions/export?store=99" });
      expect(refused.statusCode).toBe(400);
    } finally {
      await app.close();
      db.close();
      await here.close();
    }
  });
});
