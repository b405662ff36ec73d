import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeSync,
} from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyChecksums } from "../src/data/legacy/checksum.js";
import { openDatabaseReadonly } from "../src/data/open.js";
import { publishedRunId } from "../src/data/optiflow/runs-repository.js";
import { FIXTURE_NOW, publishedDemo } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * The command line where it used to crash or answer a wrong exit code (issue 12, point 7), and
 * the edit/delete commands for events, feedback and users. Run through the built program.
 */
const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-cli-hardening-");
let db: string;
let legacyBefore: Record<string, string>;

function optiflow(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: temp.path,
    encoding: "utf8",
    input,
    env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString(), USER: "tester" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

type Result = ReturnType<typeof optiflow>;
const NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"];

/**
 * Runs the program as a user who may read a folder's bases but not write them. Tests run as root
 * in CI, and root writes any file: there the program runs as "nobody" (setpriv), when nobody can
 * read the program; elsewhere the folder and its files are made read-only. Null: neither is
 * possible on this machine.
 */
const withoutWriteAccess = ((): ((folder: string) => (args: string[]) => Result) | null => {
  if (process.getuid?.() !== 0)
    return (folder) => {
      for (const file of readdirSync(folder)) chmodSync(join(folder, file), 0o444);
      chmodSync(folder, 0o555);
      return optiflow;
    };
  const probe = spawnSync("setpriv", [...NOBODY, process.execPath, BIN, "--version"]);
  if (probe.status !== 0) return null;
  return (folder) => {
    for (const dir of [temp.path, folder]) chmodSync(dir, 0o755);
    return (args) => {
      const result = spawnSync("setpriv", [...NOBODY, process.execPath, BIN, ...args], {
        cwd: folder,
        encoding: "utf8",
        env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString(), USER: "nobody" },
        timeout: 60_000,
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
  };
})();

function restoreWriteAccess(folder: string): void {
  chmodSync(folder, 0o755);
  for (const file of readdirSync(folder)) chmodSync(join(folder, file), 0o644);
}

function legacy(path: string): Record<string, string> {
  const connection = openDatabaseReadonly(path);
  try {
    return legacyChecksums(connection);
  } finally {
    connection.close();
  }
}

beforeAll(async () => {
  ({ path: db } = await publishedDemo(temp.path, "cli-hardening.db"));
  legacyBefore = legacy(db);
});
afterAll(() => {
  expect(legacy(db)).toEqual(legacyBefore);
  temp.remove();
});

describe("events and feedback from the command line", () => {
  it("adds, lists, corrects and deletes an event, each audited", () => {
    const added = optiflow([
      "events",
      "add",
      "--name",
      "Braderie",
      "--type",
      "LOCAL",
      "--start",
      "2026-12-05",
      "--end",
      "2026-12-06",
      "--store",
      "MAG01",
      "--impact",
      "30",
      "--db",
      db,
      "--json",
    ]);
    expect(added.code, added.stderr).toBe(0);
    const id = JSON.parse(added.stdout).id as number;
    const edited = optiflow([
      "events",
      "edit",
      String(id),
      "--impact",
      "-15",
      "--db",
      db,
      "--json",
    ]);
    expect(edited.code, edited.stderr).toBe(0);
    expect(JSON.parse(edited.stdout)).toMatchObject({ id, name: "Braderie", impactPct: -15 });
    const list = JSON.parse(optiflow(["events", "list", "--db", db, "--json"]).stdout);
    expect(list.events.find((e: { id: number }) => e.id === id)?.impactPct).toBe(-15);
    const refused = optiflow(["events", "edit", String(id), "--impact", "Infinity", "--db", db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--impact/);
    const tooMuch = optiflow(["events", "edit", String(id), "--impact", "5000", "--db", db]);
    expect(tooMuch.code).toBe(2);
    expect(tooMuch.stderr).toMatch(/impactPct: must be between -100 and 1000/);
    const deleted = optiflow(["events", "delete", String(id), "--db", db]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(optiflow(["events", "delete", String(id), "--db", db]).code).toBe(2);
    const audit = new Database(db, { readonly: true });
    const actions = audit
      .prepare("SELECT action, actor FROM optiflow_audit WHERE action LIKE '%event%' ORDER BY id")
      .all();
    audit.close();
    expect(actions).toEqual([
      { action: "declare_event", actor: "cli:tester" },
      { action: "correct_event", actor: "cli:tester" },
      { action: "withdraw_event", actor: "cli:tester" },
    ]);
  });

  it("adds, corrects and withdraws feedback", () => {
    const added = optiflow([
      "feedback",
      "add",
      "--article",
      "ART-000001",
      "--store",
      "MAG01",
      "--date",
      "2026-11-20",
      "--direction",
      "TROP_HAUT",
      "--reason",
      "RUPTURE",
      "--db",
      db,
      "--json",
    ]);
    expect(added.code, added.stderr).toBe(0);
    const id = JSON.parse(added.stdout).id as number;
    const edited = optiflow([
      "feedback",
      "edit",
      String(id),
      "--reason",
      "ERREUR_DONNEES",
      "--db",
      db,
      "--json",
    ]);
    expect(edited.code, edited.stderr).toBe(0);
    expect(JSON.parse(edited.stdout)).toMatchObject({ id, reason: "ERREUR_DONNEES" });
    const wrong = optiflow(["feedback", "edit", String(id), "--reason", "CHAT", "--db", db]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/reason/);
    expect(optiflow(["feedback", "delete", String(id), "--db", db]).code).toBe(0);
    const list = JSON.parse(optiflow(["feedback", "list", "--db", db, "--json"]).stdout);
    expect(list.feedback.some((f: { id: number }) => f.id === id)).toBe(false);
  });
});

describe("users", () => {
  it("lists, changes a password (closing sessions) and removes a user", () => {
    expect(
      optiflow(
        ["users", "add", "julie", "--role", "acheteur", "--password-stdin", "--db", db],
        "premier-mot-de-passe\n",
      ).code,
    ).toBe(0);
    const listed = JSON.parse(optiflow(["users", "list", "--db", db, "--json"]).stdout);
    expect(listed.users).toEqual([
      { login: "julie", role: "acheteur", createdAt: expect.any(String), activeSessions: 0 },
    ]);
    const passwd = optiflow(
      ["users", "passwd", "julie", "--password-stdin", "--db", db],
      "second-mot-de-passe\n",
    );
    expect(passwd.code, passwd.stderr).toBe(0);
    const hash = () => {
      const connection = new Database(db, { readonly: true });
      const row = connection
        .prepare("SELECT password_hash AS h FROM optiflow_users WHERE login = 'julie'")
        .get() as { h: string } | undefined;
      connection.close();
      return row?.h;
    };
    expect(hash()).toMatch(/^scrypt\$/);
    expect(
      optiflow(["users", "passwd", "nobody", "--password-stdin", "--db", db], "xxxxxxxxxxxx\n")
        .code,
    ).toBe(2);
    expect(optiflow(["users", "remove", "julie", "--db", db]).code).toBe(0);
    expect(hash()).toBeUndefined();
    expect(optiflow(["users", "remove", "julie", "--db", db]).code).toBe(2);
  });
});

describe("clear errors instead of crashes", () => {
  it("export to a missing folder: exit 2 naming --output, nothing written", () => {
    const result = optiflow([
      "predictions",
      "export",
      "--output",
      "/missing/dir/x.csv",
      "--db",
      db,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--output: the folder \/missing\/dir does not exist/);
  });

  it("export to a file: complete, or not there at all", () => {
    const target = join(temp.path, "export.csv");
    const result = optiflow(["predictions", "export", "--output", target, "--db", db]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(existsSync(`${target}.partial-${process.pid}`)).toBe(false);
  });

  it("db check: exit 10 on a page-damaged file and on a file without the legacy tables", () => {
    const damaged = join(temp.path, "damaged.db");
    copyFileSync(db, damaged);
    const fd = openSync(damaged, "r+");
    // Garbage over pages in the middle of the file (not the header): SQLite finds it on reading.
    const garbage = Buffer.alloc(4096 * 8, 0xa5);
    writeSync(fd, garbage, 0, garbage.length, 4096 * 20);
    closeSync(fd);
    const check = optiflow(["db", "check", "--db", damaged, "--json"]);
    expect(check.code, check.stderr).toBe(10);
    expect(JSON.parse(check.stdout).ok).toBe(false);
    const other = join(temp.path, "other.db");
    const connection = new Database(other);
    connection.exec("CREATE TABLE notes (text TEXT)");
    connection.close();
    const foreign = optiflow(["db", "check", "--db", other]);
    expect(foreign.code).toBe(10);
    expect(foreign.stdout).toMatch(/Legacy tables missing: magasins/);
    const notSqlite = join(temp.path, "not-sqlite.db");
    const text = openSync(notSqlite, "w");
    writeSync(text, "this is not a database, just text ".repeat(200));
    closeSync(text);
    const garbageFile = optiflow(["db", "check", "--db", notSqlite]);
    expect(garbageFile.code).toBe(10);
    expect(garbageFile.stdout).toMatch(/cannot be read as a SQLite database/);
    expect(optiflow(["db", "check", "--db", db]).code).toBe(0);
  });

  it("db check: a base an older version wrote is not damaged, and says what is still to apply", () => {
    const older = join(temp.path, "older.db");
    const source = new Database(db, { readonly: true });
    source.prepare("VACUUM INTO ?").run(older);
    source.close();
    // As a version before migration 18 left it.
    const edit = new Database(older);
    edit.exec("ALTER TABLE optiflow_alerts DROP COLUMN days_to_stockout");
    edit.prepare("DELETE FROM optiflow_migrations WHERE version = 18").run();
    edit.close();
    const check = optiflow(["db", "check", "--db", older]);
    // It said "damaged" and sent the user to restore a backup.
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/Optiflow tables: as the migrations made them/);
    expect(check.stdout).toMatch(
      /older version: migration 18 \(alert stock-out day\) still to apply/,
    );
    expect(JSON.parse(optiflow(["db", "check", "--db", older, "--json"]).stdout)).toMatchObject({
      ok: true,
      problems: [],
      pending: [{ version: 18, name: "alert stock-out day" }],
    });
    // Damage on such a base is still damage.
    const broken = new Database(older);
    broken.exec("ALTER TABLE optiflow_alerts DROP COLUMN next_delivery");
    broken.close();
    const damaged = optiflow(["db", "check", "--db", older]);
    expect(damaged.code).toBe(10);
    expect(damaged.stdout).toMatch(/Optiflow tables damaged: optiflow_alerts has columns/);
  });

  it("a base a newer Optiflow wrote: every command refuses it with exit 12, the file untouched", () => {
    const beforeUpgrade = join(temp.path, "before-upgrade.db");
    const newer = join(temp.path, "newer.db");
    const source = new Database(db, { readonly: true });
    source.prepare("VACUUM INTO ?").run(beforeUpgrade);
    source.prepare("VACUUM INTO ?").run(newer);
    source.close();
    // As a later version would leave it: one more migration, one more column.
    const edit = new Database(newer);
    edit.pragma("journal_mode = WAL"); // as any base Optiflow opened (VACUUM INTO leaves it off)
    edit.exec("ALTER TABLE optiflow_alerts ADD COLUMN reorder_point REAL");
    edit
      .prepare("INSERT INTO optiflow_migrations (version, name, applied_at) VALUES (?, ?, ?)")
      .run(99, "reorder point", "2027-01-01T00:00:00.000Z");
    edit.close();
    const bytes = () => createHash("sha256").update(readFileSync(newer)).digest("hex");
    const before = bytes();
    const refusal = /written by a newer version of Optiflow \(migration 99, reorder point\)/;
    for (const args of [
      ["alerts", "critical"],
      ["ml", "batch", "--today", "2026-11-25"],
      ["orders", "show"],
      ["settings", "list"],
      ["events", "list"],
      ["simulate", "--weeks", "2"],
    ]) {
      const result = optiflow([...args, "--db", newer]);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(12);
      expect(result.stderr).toMatch(refusal);
    }
    // It said "damaged" and sent the user to restore a backup, or wrote rows beside columns it
    // does not know.
    const check = optiflow(["db", "check", "--db", newer]);
    expect(check.code, check.stdout).toBe(12);
    expect(check.stdout).toMatch(refusal);
    expect(check.stdout).not.toMatch(/damaged/);
    expect(JSON.parse(optiflow(["db", "check", "--db", newer, "--json"]).stdout)).toMatchObject({
      ok: false,
      problems: [],
      newer: [{ version: 99, name: "reorder point" }],
    });
    expect(bytes()).toBe(before);
    // The way back the message gives: a backup from before the upgrade.
    const restore = optiflow(["db", "restore-optiflow", "--db", newer, "--from", beforeUpgrade]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(optiflow(["db", "check", "--db", newer]).code).toBe(0);
    expect(optiflow(["alerts", "critical", "--db", newer]).code).toBe(0);
  });

  it.runIf(withoutWriteAccess)(
    "a base this user may not write: exit 13 saying why, exit 11 when it is also to upgrade",
    () => {
      const folder = join(temp.path, "read-only");
      mkdirSync(folder);
      const current = join(folder, "current.db");
      const older = join(folder, "older.db");
      const source = new Database(db, { readonly: true });
      source.prepare("VACUUM INTO ?").run(current);
      source.prepare("VACUUM INTO ?").run(older);
      source.close();
      const wal = new Database(current);
      wal.pragma("journal_mode = WAL"); // as any base Optiflow opened (VACUUM INTO leaves it off)
      wal.close();
      // As a version before migration 18 left it.
      const edit = new Database(older);
      edit.exec("ALTER TABLE optiflow_alerts DROP COLUMN days_to_stockout");
      edit.prepare("DELETE FROM optiflow_migrations WHERE version = 18").run();
      edit.close();
      const bytes = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
      const before = [bytes(current), bytes(older)];
      const run = withoutWriteAccess?.(folder) as (args: string[]) => Result;
      // A reading command, a writing one, the batch and the server: "unexpected error", exit 1.
      for (const args of [
        ["alerts", "status"],
        ["orders", "fill"],
        ["ml", "batch", "--today", "2026-11-25"],
        // Port 1 is one this user may not listen on: the server must stop before it tries.
        ["serve", "--port", "1"],
      ]) {
        const result = run([...args, "--db", current]);
        expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(13);
        expect(result.stderr).toMatch(/cannot write to .*current\.db or to its folder: this user/);
        expect(result.stderr).toMatch(/give its user write access to the file and its folder/);
      }
      // A base an older version left, which this one would have to bring up to date first.
      const upgrade = run(["alerts", "status", "--db", older]);
      expect(upgrade.code, upgrade.stderr).toBe(11);
      expect(upgrade.stderr).toMatch(/come from an older version and could not be brought up/);
      expect(upgrade.stderr).toMatch(/this user may not write the file/);
      expect([bytes(current), bytes(older)]).toEqual(before);
      // With the right to write, both work again (the older one brought up to date).
      restoreWriteAccess(folder);
      expect(optiflow(["alerts", "status", "--db", current]).code).toBe(0);
      expect(optiflow(["alerts", "status", "--db", older]).code).toBe(0);
    },
  );

  it("ml batch --today outside the sales history: refused, the publication unchanged", () => {
    const before = (() => {
      const connection = openDatabaseReadonly(db);
      try {
        return publishedRunId(connection);
      } finally {
        connection.close();
      }
    })();
    for (const day of ["1900-01-01", "2031-06-01", "2026-11-01"]) {
      const result = optiflow(["ml", "batch", "--today", day, "--db", db]);
      expect(result.code, day).toBe(2);
      expect(result.stderr).toMatch(/--today: .*--force/);
    }
    const connection = openDatabaseReadonly(db);
    try {
      expect(publishedRunId(connection)).toBe(before);
    } finally {
      connection.close();
    }
  });

  it("serve on a busy port: a clear message and an exit, not a hang", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [BIN, "serve", "--db", db, "--port", String(port)], {
        cwd: temp.path,
        env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() },
      });
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          resolve(null);
        }, 20_000);
        child.once("exit", (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      expect(code).toBe(2);
      expect(stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });
});
