import { mkdirSync, readdirSync, renameSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoDatabase } from "../test-support/demo-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import {
  BackupError,
  backupDatabase,
  backupTakenAt,
  isWholeBackup,
  listBackups,
} from "./backup.js";
import { legacyChecksums } from "./legacy/checksum.js";
import { LEGACY_TABLES } from "./legacy/legacy-schema.js";
import { type Db, openDatabase, openDatabaseReadonly } from "./open.js";
import {
  appliedMigrations,
  assertOnlyOptiflowObjects,
  MIGRATIONS,
  migrate,
} from "./optiflow/migrate.js";
import { openOptiflowDatabase } from "./optiflow/open-optiflow.js";
import { runWriteSession } from "./write-session.js";

const temp = createTempDir();
afterAll(() => temp.remove());

function checksumsOf(path: string) {
  const db = openDatabaseReadonly(path);
  try {
    return legacyChecksums(db);
  } finally {
    db.close();
  }
}

describe("data layer", () => {
  it("opens in WAL mode and applies numbered migrations once, recorded in optiflow_migrations", () => {
    const path = demoDatabase(temp.path, "wal.db");
    const db = openOptiflowDatabase(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(appliedMigrations(db).map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    const created = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN (${LEGACY_TABLES.map(() => "?").join(",")})`,
      )
      .all(...LEGACY_TABLES) as { name: string }[];
    for (const { name } of created) expect(name).toMatch(/^optiflow_/);
    db.close();
  });

  it("leaves every legacy table byte-identical after migrations and a write session", async () => {
    const path = demoDatabase(temp.path, "identical.db");
    const before = checksumsOf(path);
    const db = openOptiflowDatabase(path);
    await runWriteSession(
      db,
      {
        backup: {
          dir: join(temp.path, "backups-identical"),
          keep: 3,
          now: new Date("2026-11-25T00:30:00Z"),
        },
        actor: "test",
        action: "settings",
      },
      () => {
        db.prepare(
          "INSERT INTO optiflow_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)",
        ).run("marge", "10", "now", "test");
      },
    );
    db.close();
    expect(checksumsOf(path)).toEqual(before);
  });

  it("refuses any write to a legacy table through Optiflow's connection", () => {
    const db = openDatabase(demoDatabase(temp.path, "guard.db"));
    expect(() => db.prepare("UPDATE stocks SET quantite = 0").run()).toThrow(
      /never writes the legacy table stocks/,
    );
    expect(() => db.prepare("DELETE FROM ventes WHERE id = 1").run()).toThrow(/never writes/);
    expect(() =>
      db.prepare("INSERT INTO parametres (cle, valeur) VALUES ('x', 'y')").run(),
    ).toThrow(/never writes/);
    db.close();
  });

  it("rejects a migration that would touch a non-Optiflow object", () => {
    expect(() =>
      assertOnlyOptiflowObjects({
        version: 99,
        name: "bad",
        sql: "ALTER TABLE ventes ADD COLUMN x",
      }),
    ).toThrow(/ventes/);
    expect(() =>
      assertOnlyOptiflowObjects({
        version: 99,
        name: "bad",
        sql: "CREATE INDEX optiflow_x ON articles(nom)",
      }),
    ).toThrow(/articles/);
    expect(() =>
      assertOnlyOptiflowObjects({
        version: 99,
        name: "ok",
        sql: "CREATE TABLE optiflow_x (id INTEGER)",
      }),
    ).not.toThrow();
    for (const migration of MIGRATIONS)
      expect(() => assertOnlyOptiflowObjects(migration)).not.toThrow();
  });

  it("takes online backups and keeps only the newest ones", async () => {
    const db = openOptiflowDatabase(demoDatabase(temp.path, "backup.db"));
    const dir = join(temp.path, "backups-rotation");
    // What a backup interrupted by a crash leaves: removed by the next one, never listed.
    mkdirSync(dir, { recursive: true });
    const stale = join(dir, "optiflow-20261124-003000-000.db.partial");
    writeFileSync(stale, "half a copy");
    // Two hours older than the files written now, by the file system's own clock.
    const twoHoursBefore = statSync(stale).mtimeMs / 1000 - 2 * 3600;
    utimesSync(stale, twoHoursBefore, twoHoursBefore);
    // One being written by another process right now: left alone.
    const current = join(dir, "optiflow-20261125-002959-000.db.partial");
    writeFileSync(current, "a copy under way");
    for (let i = 0; i < 5; i++) {
      await backupDatabase(db, { dir, keep: 3, now: new Date(Date.UTC(2026, 10, 25, 0, 30, i)) });
    }
    const kept = listBackups(dir);
    expect(kept).toHaveLength(3);
    // Each backup is written under another name and renamed once complete: none is left half.
    expect(readdirSync(dir).filter((n) => !n.endsWith(".db"))).toEqual([basename(current)]);
    expect(kept[0]).toMatch(/optiflow-20261125-003002-000\.db$/);
    // Before a write: Optiflow's own tables only (all it could damage), each row of each.
    const copy = openDatabaseReadonly(kept[2]!);
    const names = (db: Db) =>
      (
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
          )
          .all() as { name: string }[]
      ).map((r) => r.name);
    // Optiflow's tables, but not its history cache: derived from the legacy tables, rebuilt.
    expect(names(copy)).toEqual(
      names(db).filter((n) => n.startsWith("optiflow_") && !n.startsWith("optiflow_history_")),
    );
    const count = (d: Db, table: string) =>
      (d.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    for (const table of names(copy)) expect(count(copy, table), table).toBe(count(db, table));
    copy.close();
    // `optiflow db backup`: the whole file.
    const whole = await backupDatabase(db, {
      dir,
      keep: 5,
      now: new Date(Date.UTC(2026, 10, 25, 0, 31)),
      scope: "whole",
    });
    // Renamed once complete too (before anyone opens it: a reader of a WAL file adds its own).
    expect(readdirSync(dir).filter((n) => !n.endsWith(".db"))).toEqual([basename(current)]);
    const wholeCopy = openDatabaseReadonly(whole);
    expect(count(wholeCopy, "articles")).toBe(90);
    wholeCopy.close();
    expect(basename(whole)).toBe("optiflow-full-20261125-003100-000.db");
    expect(isWholeBackup(whole)).toBe(true);
    expect(backupTakenAt(whole)?.toISOString()).toBe("2026-11-25T00:31:00.000Z");
    // Rotated apart: the automatic backups that follow (before writes, nightly) do not push the
    // administrator's whole-file one out, nor it theirs.
    for (let i = 0; i < 4; i++)
      await backupDatabase(db, { dir, keep: 3, now: new Date(Date.UTC(2026, 10, 25, 1, i)) });
    const after = listBackups(dir);
    expect(after.filter(isWholeBackup)).toEqual([whole]);
    expect(after.filter((p) => !isWholeBackup(p)).map((p) => basename(p))).toEqual([
      "optiflow-20261125-010100-000.db",
      "optiflow-20261125-010200-000.db",
      "optiflow-20261125-010300-000.db",
    ]);
    const secondWhole = await backupDatabase(db, {
      dir,
      keep: 1,
      now: new Date(Date.UTC(2026, 10, 25, 2, 0)),
      scope: "whole",
    });
    expect(listBackups(dir).filter(isWholeBackup)).toEqual([secondWhole]);
    expect(listBackups(dir)).toHaveLength(4);
    db.close();
  });

  it("keeps a whole-file backup an older version named as an automatic one", async () => {
    const db = openOptiflowDatabase(demoDatabase(temp.path, "oldname.db"));
    const dir = join(temp.path, "oldname-backups");
    // What `optiflow db backup` wrote before whole-file backups had a name of their own.
    const taken = await backupDatabase(db, {
      dir,
      keep: 3,
      now: new Date(Date.UTC(2026, 10, 24, 22, 0)),
      scope: "whole",
    });
    const oldName = join(dir, "optiflow-20261124-220000-000.db");
    renameSync(taken, oldName);
    expect(isWholeBackup(oldName)).toBe(true);
    for (let i = 0; i < 5; i++)
      await backupDatabase(db, { dir, keep: 3, now: new Date(Date.UTC(2026, 10, 25, 1, i)) });
    expect(listBackups(dir).filter(isWholeBackup)).toEqual([oldName]);
    expect(listBackups(dir).filter((p) => !isWholeBackup(p))).toHaveLength(3);
    // Looking into it left nothing beside it (a reader of a WAL file creates its -wal and -shm).
    expect(readdirSync(dir).filter((n) => !n.endsWith(".db"))).toEqual([]);
    db.close();
  });

  it("writes nothing when the backup cannot be taken", async () => {
    const db = openOptiflowDatabase(demoDatabase(temp.path, "nobackup.db"));
    // A file where the folder should be: fails for root too, unlike permission bits.
    const blocked = join(temp.path, "not-a-folder");
    writeFileSync(blocked, "a file where the backup folder should be");
    let wrote = false;
    await expect(
      runWriteSession(
        db,
        {
          backup: { dir: blocked, keep: 3, now: new Date("2026-11-25T07:00:00Z") },
          actor: "test",
          action: "x",
        },
        () => {
          wrote = true;
        },
      ),
    ).rejects.toThrow(BackupError);
    expect(wrote).toBe(false);
    expect((db.prepare("SELECT COUNT(*) AS n FROM optiflow_audit").get() as { n: number }).n).toBe(
      0,
    );
    db.close();
  });
});
