import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBatch } from "../src/batch/run-batch.js";
import { type Config, readConfig } from "../src/config.js";
import { BackupError, listBackups } from "../src/data/backup.js";
import { DatabaseBusyError } from "../src/data/database-errors.js";
import { legacyChecksums } from "../src/data/legacy/checksum.js";
import { type Db, openDatabase, openDatabaseReadonly } from "../src/data/open.js";
import { openOptiflowDatabase } from "../src/data/optiflow/open-optiflow.js";
import { readAlerts, readPublication } from "../src/data/optiflow/published-results.js";
import { restoreOptiflowTables } from "../src/data/optiflow/restore-optiflow.js";
import { publishedRunId } from "../src/data/optiflow/runs-repository.js";
import { checkOptiflowSchema, OptiflowSchemaError } from "../src/data/optiflow/schema-check.js";
import { buildServer } from "../src/server/build-server.js";
import { demoDatabase, FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { FIXTURE_BATCH_AT, fixtureNow } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * Faults a shop's machine meets: another program holding the write lock, one of Optiflow's tables
 * dropped or damaged. Each gives a clear error, keeps the published results served, loses nothing,
 * and has a documented recovery (docs/RELIABILITY.md).
 */
const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-faults-");
const now = fixtureNow;
let path: string;
let config: Config;
let legacyBefore: Record<string, string>;

function server() {
  const db = openDatabaseReadonly(path);
  let writer: Db | null = null;
  const app = buildServer({
    db,
    writeDb: () => {
      writer ??= openOptiflowDatabase(path, now, 300);
      return writer;
    },
    config,
    now,
    publication: () => readPublication(db, now(), 24),
    nextBatch: () => null,
  });
  return {
    get: (url: string) => app.inject({ method: "GET", url }),
    post: (url: string, payload: object) => app.inject({ method: "POST", url, payload }),
    close: async () => {
      await app.close();
      db.close();
      writer?.close();
    },
  };
}

function published(): number | null {
  const db = openDatabaseReadonly(path);
  try {
    return publishedRunId(db);
  } finally {
    db.close();
  }
}

function legacy(): Record<string, string> {
  const db = openDatabaseReadonly(path);
  try {
    return legacyChecksums(db);
  } finally {
    db.close();
  }
}

/** Another program (the retailer's till software, a DB browser) holding the write lock. */
async function holdWriteLock(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import Database from "better-sqlite3";
       const db = new Database(${JSON.stringify(path)});
       db.exec("BEGIN IMMEDIATE");
       process.stdout.write("locked\\n");
       process.stdin.resume();
       process.stdin.on("end", () => { db.exec("ROLLBACK"); db.close(); process.exit(0); });`,
    ],
    { cwd: new URL("..", import.meta.url).pathname, stdio: ["pipe", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("locked")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return child;
}

async function release(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.stdin?.end();
  await exited;
}

function optiflow(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  path = demoDatabase(temp.path, "faults.db", 18);
  config = {
    ...readConfig({}),
    dbPath: path,
    backupDir: join(temp.path, "backups"),
    batchLogPath: join(temp.path, "batch.log"),
    busyTimeoutMs: 300,
  };
  legacyBefore = legacy();
  await runBatch({ config, today: FIXTURE_TODAY, trigger: "manual", now: () => FIXTURE_BATCH_AT });
}, 120_000);

afterAll(() => temp.remove());

describe("the database locked by another writer", () => {
  it("keeps serving, refuses writes with a 503 to retry, and the batch says why it did not start", async () => {
    const app = server();
    const runBefore = published();
    const lock = await holdWriteLock();
    try {
      expect((await app.get("/api/alerts")).statusCode).toBe(200);
      const event = { name: "Braderie", type: "LOCAL", start: "2026-12-05", end: "2026-12-05" };
      const refused = await app.post("/api/events", event);
      expect(refused.statusCode).toBe(503);
      expect(refused.headers["retry-after"]).toBe("5");
      expect(refused.json().error).toMatch(/busy.*Nothing was saved/);
      await expect(
        runBatch({ config, today: FIXTURE_TODAY, trigger: "manual", now: () => FIXTURE_BATCH_AT }),
      ).rejects.toThrow(DatabaseBusyError);
      expect(published()).toBe(runBefore);
    } finally {
      await release(lock);
    }
    // Lock gone: the same write goes through, and a batch publishes.
    const event = { name: "Braderie", type: "LOCAL", start: "2026-12-05", end: "2026-12-05" };
    expect((await app.post("/api/events", event)).statusCode).toBe(201);
    const events = (await app.get("/api/events")).json().events as { name: string }[];
    expect(events.filter((e) => e.name === "Braderie")).toHaveLength(1);
    const next = await runBatch({
      config,
      today: FIXTURE_TODAY,
      trigger: "manual",
      now: () => FIXTURE_BATCH_AT,
    });
    expect(next.published).toBe(true);
    await app.close();
    expect(legacy()).toEqual(legacyBefore);
  }, 120_000);
});

describe("the backup folder unusable", () => {
  it("stops the batch and the users' writes before anything is written, saying which folder", async () => {
    const blocked = join(temp.path, "not-a-folder");
    writeFileSync(blocked, "a file where the backup folder should be");
    const runBefore = published();
    const broken = { ...config, backupDir: blocked };
    await expect(
      runBatch({
        config: broken,
        today: FIXTURE_TODAY,
        trigger: "manual",
        now: () => FIXTURE_BATCH_AT,
      }),
    ).rejects.toThrow(BackupError);
    expect(published()).toBe(runBefore);
    const db = openDatabaseReadonly(path);
    let writer: Db | null = null;
    const app = buildServer({
      db,
      writeDb: () => {
        writer ??= openOptiflowDatabase(path, now, 300);
        return writer;
      },
      config: broken,
      now: () => new Date("2030-01-01T07:00:00Z"),
      publication: () => readPublication(db, now(), 24),
      nextBatch: () => null,
    });
    const event = {
      name: "Sans sauvegarde",
      type: "LOCAL",
      start: "2026-12-05",
      end: "2026-12-05",
    };
    const refused = await app.inject({ method: "POST", url: "/api/events", payload: event });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error).toContain(blocked);
    const events = (await app.inject({ method: "GET", url: "/api/events" })).json().events;
    expect(events.map((e: { name: string }) => e.name)).not.toContain("Sans sauvegarde");
    await app.close();
    db.close();
    (writer as Db | null)?.close();
  });
});

describe("an Optiflow table dropped or damaged", () => {
  it("is named in a clear error, the results already served stay served, and restore-optiflow recovers", async () => {
    const running = server();
    const before = (await running.get("/api/alerts")).json();
    const runBefore = published();
    const backups = listBackups(config.backupDir);
    const raw = new Database(path);
    raw.exec("DROP TABLE optiflow_alerts");
    raw.exec("DROP TABLE optiflow_kpis; CREATE TABLE optiflow_kpis (junk TEXT)");
    raw.close();

    // The server that was running keeps serving the answers of the published run.
    const served = await running.get("/api/alerts");
    expect(served.statusCode).toBe(200);
    expect(served.json().counts).toEqual(before.counts);
    await running.close();

    // After a restart: a 503 naming the tables and the recovery; the rest still answers.
    const restarted = server();
    const alerts = await restarted.get("/api/alerts");
    expect(alerts.statusCode).toBe(503);
    expect(alerts.json().error).toMatch(/optiflow_alerts is missing/);
    expect(alerts.json().error).toMatch(/optiflow_kpis has columns \(junk\)/);
    expect(alerts.json().error).toContain("restore-optiflow");
    const status = (await restarted.get("/api/status")).json();
    expect(status.schemaProblems.map((p: { table: string }) => p.table).sort()).toEqual([
      "optiflow_alerts",
      "optiflow_kpis",
    ]);
    expect((await restarted.get("/api/events")).statusCode).toBe(200);
    await restarted.close();

    // The batch refuses before writing anything; the CLI says the same with exit code 10.
    await expect(
      runBatch({ config, today: FIXTURE_TODAY, trigger: "manual", now: () => FIXTURE_BATCH_AT }),
    ).rejects.toThrow(OptiflowSchemaError);
    expect(published()).toBe(runBefore);
    const check = optiflow("db", "check", "--db", path, "--json");
    expect(check.code).toBe(10);
    expect(JSON.parse(check.stdout).problems).toHaveLength(2);

    // Recovery: Optiflow's tables from the last backup, legacy untouched, then a batch.
    const restore = optiflow(
      "db",
      "restore-optiflow",
      "--db",
      path,
      "--from",
      backups.at(-1)!,
      "--json",
    );
    expect(restore.code, restore.stderr).toBe(0);
    expect(optiflow("db", "check", "--db", path).code).toBe(0);
    const recovered = server();
    expect((await recovered.get("/api/alerts")).statusCode).toBe(200);
    const events = (await recovered.get("/api/events")).json().events as { name: string }[];
    expect(events.map((e) => e.name)).toContain("Braderie");
    await recovered.close();
    const next = await runBatch({
      config,
      today: FIXTURE_TODAY,
      trigger: "manual",
      now: () => FIXTURE_BATCH_AT,
    });
    expect(next.published).toBe(true);
    expect(legacy()).toEqual(legacyBefore);
  }, 120_000);
});

describe("a backup an older version took, restored by this one", () => {
  it("brings its tables forward after filling them: its runs read as they did", () => {
    const backup = join(temp.path, "older-backup.db");
    const target = join(temp.path, "restore-into.db");
    const source = new Database(path, { readonly: true });
    source.prepare("VACUUM INTO ?").run(backup);
    source.prepare("VACUUM INTO ?").run(target);
    source.close();
    // As a version before migration 18 left its tables.
    const older = new Database(backup);
    older.exec("ALTER TABLE optiflow_alerts DROP COLUMN days_to_stockout");
    older.prepare("DELETE FROM optiflow_migrations WHERE version = 18").run();
    older.close();
    const db = openDatabase(target);
    try {
      restoreOptiflowTables(db, backup);
      expect(checkOptiflowSchema(db)).toEqual([]);
      const alerts = readAlerts(db, publishedRunId(db) as number);
      expect(alerts.some((a) => a.daysOfCover !== null)).toBe(true);
      // Filled after this version's tables were made, they had no stock-out day at all.
      for (const a of alerts) expect(a.daysToStockout).toBe(a.daysOfCover);
    } finally {
      db.close();
    }
  });
});

describe("a base a newer Optiflow upgraded under a running server", () => {
  it("refuses the page's writes with a 503 that says so, saves nothing, and keeps serving", async () => {
    const copy = join(temp.path, "upgraded-under-server.db");
    const source = new Database(path, { readonly: true });
    source.prepare("VACUUM INTO ?").run(copy);
    source.close();
    const db = openDatabaseReadonly(copy);
    let writer: Db | null = null;
    const app = buildServer({
      db,
      writeDb: () => {
        writer ??= openOptiflowDatabase(copy, now, 300);
        return writer;
      },
      config: { ...config, dbPath: copy },
      now,
      publication: () => readPublication(db, now(), 24),
      nextBatch: () => null,
    });
    const upgrade = new Database(copy);
    upgrade
      .prepare("INSERT INTO optiflow_migrations (version, name, applied_at) VALUES (?, ?, ?)")
      .run(99, "reorder point", "2027-01-01T00:00:00.000Z");
    upgrade.close();
    try {
      const event = { name: "Après la mise à jour", type: "LOCAL", start: "2026-12-05" };
      const refused = await app.inject({
        method: "POST",
        url: "/api/events",
        payload: { ...event, end: event.start },
      });
      expect(refused.statusCode).toBe(503);
      expect(refused.json().code).toBe("database_from_newer_version");
      expect(refused.json().error).toMatch(/newer version of Optiflow \(migration 99/);
      const events = (await app.inject({ method: "GET", url: "/api/events" })).json().events;
      expect(events.map((e: { name: string }) => e.name)).not.toContain(event.name);
      expect((await app.inject({ method: "GET", url: "/api/alerts" })).statusCode).toBe(200);
    } finally {
      await app.close();
      db.close();
      (writer as Db | null)?.close();
    }
  });
});

describe("a base that can no longer be written under a running server", () => {
  it("refuses the page's writes with a 503 that says so, saves nothing, and keeps serving", async () => {
    const copy = join(temp.path, "read-only-under-server.db");
    const source = new Database(path, { readonly: true });
    source.prepare("VACUUM INTO ?").run(copy);
    source.close();
    const db = openDatabaseReadonly(copy);
    let writer: Db | null = null;
    const app = buildServer({
      db,
      writeDb: () => {
        writer ??= openOptiflowDatabase(copy, now, 300);
        // SQLite refuses every write from here on with SQLITE_READONLY, as it does once the
        // file's permissions change or its disk is remounted read-only (root, who runs the
        // tests, writes any file whatever its permissions).
        writer.pragma("query_only = ON");
        return writer;
      },
      config: { ...config, dbPath: copy },
      now,
      publication: () => readPublication(db, now(), 24),
      nextBatch: () => null,
    });
    try {
      const event = { name: "Disque en lecture seule", type: "LOCAL", start: "2026-12-05" };
      const refused = await app.inject({
        method: "POST",
        url: "/api/events",
        payload: { ...event, end: event.start },
      });
      // It answered 500 "internal error": nothing for the manager to act on.
      expect(refused.statusCode).toBe(503);
      expect(refused.json().code).toBe("database_not_writable");
      expect(refused.json().error).toMatch(/can no longer be written .*Nothing was saved/);
      const events = (await app.inject({ method: "GET", url: "/api/events" })).json().events;
      expect(events.map((e: { name: string }) => e.name)).not.toContain(event.name);
      expect((await app.inject({ method: "GET", url: "/api/alerts" })).statusCode).toBe(200);
    } finally {
      await app.close();
      db.close();
      (writer as Db | null)?.close();
    }
  });
});

describe("backups before users' writes", () => {
  it("take one per hour of edits, and count a whole-file backup taken by hand meanwhile", async () => {
    const copy = join(temp.path, "hourly.db");
    copyFileSync(path, copy);
    const dir = join(temp.path, "hourly-backups");
    let clock = new Date("2026-11-25T07:00:00Z");
    const db = openDatabaseReadonly(copy);
    let writer: Db | null = null;
    const app = buildServer({
      db,
      writeDb: () => {
        writer ??= openOptiflowDatabase(copy, () => clock, 300);
        return writer;
      },
      config: { ...config, dbPath: copy, backupDir: dir },
      now: () => clock,
      publication: () => readPublication(db, now(), 24),
      nextBatch: () => null,
    });
    const edit = async (minutes: number, name: string) => {
      clock = new Date(Date.UTC(2026, 10, 25, 7, minutes));
      const payload = { name, type: "LOCAL", start: "2026-12-05", end: "2026-12-05" };
      const saved = await app.inject({ method: "POST", url: "/api/events", payload });
      expect(saved.statusCode, saved.body).toBe(201);
    };
    const names = () => listBackups(dir).map((p) => basename(p));
    try {
      await edit(0, "Marché de Noël");
      await edit(30, "Vide-grenier");
      expect(names()).toEqual(["optiflow-20261125-070000-000.db"]);
      // An administrator's whole-file backup at 07:40 is as fresh a copy of Optiflow's tables.
      const admin = spawnSync(process.execPath, [BIN, "db", "backup", "--db", copy], {
        encoding: "utf8",
        env: { ...process.env, OPTIFLOW_NOW: "2026-11-25T07:40:00Z", OPTIFLOW_BACKUP_DIR: dir },
      });
      expect(admin.stdout).toContain("Whole-file backups kept (1/");
      expect(admin.status, admin.stderr).toBe(0);
      await edit(61, "Foire aux vins");
      expect(names()).toEqual([
        "optiflow-20261125-070000-000.db",
        "optiflow-full-20261125-074000-000.db",
      ]);
      await edit(200, "Braderie d'hiver");
      expect(names()).toEqual([
        "optiflow-20261125-070000-000.db",
        "optiflow-full-20261125-074000-000.db",
        "optiflow-20261125-102000-000.db",
      ]);
    } finally {
      await app.close();
      db.close();
      (writer as Db | null)?.close();
    }
  });
});
