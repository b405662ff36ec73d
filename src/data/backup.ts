import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Db } from "./open.js";

export interface BackupOptions {
  dir: string;
  /** How many backups to keep (the newest); older ones are deleted after a successful copy. */
  keep: number;
  now: Date;
  /**
   * "optiflow" (the default, before every write): Optiflow's own tables only — it never writes
   * the legacy ones, so they are all it could damage, and a 10,000-article base's backup shrinks
   * from the whole file to what Optiflow keeps. "whole": the whole file (`optiflow db backup`).
   */
  scope?: "optiflow" | "whole";
}

export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BackupError";
  }
}

/** `optiflow-full-…`: a copy of the whole file (`optiflow db backup`), rotated apart. */
const BACKUP_FILE = /^optiflow-(full-)?\d{8}-\d{6}-\d{3}(-\d+)?\.db$/;
const WHOLE_FILE = /(^|[\\/])optiflow-full-[^\\/]*$/;

/**
 * Whether a backup is of the whole file (legacy tables included). By its name, except for one
 * named as an automatic backup: older versions named their whole-file backups so, and the one an
 * administrator took before upgrading is the one to keep. Those are told by their content: a
 * table that is not Optiflow's.
 */
export function isWholeBackup(path: string): boolean {
  return WHOLE_FILE.test(path) || holdsLegacyTables(path);
}

function holdsLegacyTables(path: string): boolean {
  // A reader of a file in WAL mode (a copy of the live base is) creates its -wal and -shm, and
  // read-only it cannot remove them: what this look adds, it removes.
  const added = [`${path}-wal`, `${path}-shm`].filter((side) => !existsSync(side));
  let file: Database.Database | undefined;
  try {
    file = new Database(path, { readonly: true, fileMustExist: true });
    return (
      file
        .prepare(
          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'optiflow\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' LIMIT 1",
        )
        .get() !== undefined
    );
  } catch {
    // Unreadable: what its name says (an automatic backup), as before.
    return false;
  } finally {
    file?.close();
    for (const side of added) rmSync(side, { force: true });
  }
}

/** When a backup was taken, from its name (UTC), or null for a name not made here. */
export function backupTakenAt(path: string): Date | null {
  const m = /optiflow-(?:full-)?(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{3})[^\\/]*$/.exec(
    path,
  );
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, ms] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, sec!, ms!));
}

function stamp(now: Date): string {
  const iso = now.toISOString(); // 2026-11-25T22:51:22.123Z
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}-${iso.slice(20, 23)}`;
}

/**
 * SQLite's online backup restarts from the first page whenever another connection writes
 * between two of its steps: copied in small steps, a base that users keep writing to is never
 * backed up (measured: a batch stuck for minutes behind 50 clients' edits). After the first
 * step, the rest is copied in one step, under one read lock, which no writer can restart.
 */
const ALL_REMAINING_PAGES = 0x7fffffff;

/**
 * SPEC §2.2: a consistent copy through SQLite's online backup API (readers and writers may
 * keep working), then rotation. Throws BackupError if the copy cannot be made: callers must
 * not write without a backup. The copy holds the calling thread for its duration: the server
 * calls it through `backupInWorker`.
 */
export async function backupDatabase(db: Db, options: BackupOptions): Promise<string> {
  const kind = options.scope === "whole" ? "full-" : "";
  let target = join(options.dir, `optiflow-${kind}${stamp(options.now)}.db`);
  try {
    mkdirSync(options.dir, { recursive: true });
    target = freeName(target);
    const partial = partialName(target);
    if (options.scope === "whole")
      await db.backup(partial, { progress: () => ALL_REMAINING_PAGES });
    else copyOptiflowTables(db.name, partial);
    // Renamed once on disk: a file named as a backup is complete (a crash mid-copy would leave a
    // half-written one, and its journal, among the backups).
    syncToDisk(partial);
    renameSync(partial, target);
    syncToDisk(options.dir);
  } catch (cause) {
    removeQuietly(target);
    removeQuietly(partialName(target));
    throw new BackupError(
      `backup to ${options.dir} failed: ${(cause as Error).message}. Nothing was written; fix the folder (OPTIFLOW_BACKUP_DIR) and retry.`,
      { cause },
    );
  }
  rotateBackups(options.dir, options.keep, target);
  return target;
}

/**
 * Optiflow's tables (optiflow_*) into a new file, as one consistent snapshot: the copy runs in
 * one transaction of a fresh connection that attaches the base and only reads it, so a writer elsewhere
 * neither blocks it (WAL) nor tears it. Rows and table definitions only: `db restore-optiflow`
 * rebuilds the indexes from the migrations. The history cache (optiflow_history_*) is left out:
 * derived from the legacy tables, it is rebuilt by the next night after a restore.
 */
function copyOptiflowTables(sourcePath: string, target: string): void {
  // A file nobody reads until it is renamed needs no journal: the caller's one sync of the file,
  // then of the folder, makes it durable, where SQLite synced its journal and the file (the
  // same time, measured).
  const out = new Database(target);
  out.pragma("journal_mode = OFF");
  out.pragma("synchronous = OFF");
  try {
    // Rows are copied as they are, parents possibly after children.
    out.pragma("foreign_keys = OFF");
    // Read only, though attached by path (URIs are off in this SQLite build): nothing is written.
    out.prepare("ATTACH DATABASE ? AS src").run(sourcePath);
    const tables = out
      .prepare(
        "SELECT name, sql FROM src.sqlite_master WHERE type = 'table' AND name LIKE 'optiflow\\_%' ESCAPE '\\' AND name NOT LIKE 'optiflow\\_history\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all() as { name: string; sql: string }[];
    out.transaction(() => {
      for (const { name, sql } of tables) {
        // Names come from the base's own catalogue, filtered to optiflow_*: never user input.
        out.exec(sql);
        out.exec(`INSERT INTO main."${name}" SELECT * FROM src."${name}"`);
      }
    })();
    out.exec("DETACH DATABASE src");
  } finally {
    out.close();
  }
}

function partialName(target: string): string {
  return `${target}.partial`;
}

function syncToDisk(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Two backups in the same millisecond (or under a fixed clock, as in a replay) must not
 * overwrite each other: the second gets a number.
 */
function freeName(target: string): string {
  const taken = (name: string) => existsSync(name) || existsSync(partialName(name));
  if (!taken(target)) return target;
  for (let n = 1; ; n++) {
    const candidate = target.replace(/\.db$/, `-${n}.db`);
    if (!taken(candidate)) return candidate;
  }
}

/** Oldest first, by when each file was written (a replayed clock may name them out of order). */
export function listBackups(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => BACKUP_FILE.test(n))
    .map((n) => ({ path: join(dir, n), written: writtenAt(join(dir, n)), n }))
    .sort((a, b) => a.written - b.written || a.n.localeCompare(b.n))
    .map((b) => b.path);
}

function writtenAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

const STALE_PARTIAL_MS = 60 * 60 * 1000;

/**
 * The newest `keep` of the kind just written are kept: the whole-file backups an administrator
 * takes by hand (before an upgrade, say) are not pushed out by the automatic ones, which a day
 * of edits and the nightly batch would otherwise do within a day or two.
 */
function rotateBackups(dir: string, keep: number, justWritten: string): void {
  // What an interrupted backup left, never a backup; not one being written now (the server's
  // backups before user edits may run beside the batch's): an hour older than the file just
  // written (file times against file times: the process's clock may be another's).
  const now = writtenAt(justWritten);
  for (const name of readdirSync(dir))
    if (name.endsWith(".db.partial") && now - writtenAt(join(dir, name)) > STALE_PARTIAL_MS)
      rmSync(join(dir, name), { force: true });
  const whole = isWholeBackup(justWritten);
  const all = listBackups(dir).filter((path) => isWholeBackup(path) === whole);
  for (const path of all.slice(0, Math.max(0, all.length - keep))) {
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing to clean when the folder itself is unusable.
  }
}
