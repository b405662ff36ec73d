import type { Config } from "../config.js";
import { backupDatabase, listBackups } from "../data/backup.js";
import type { Db } from "../data/open.js";

/**
 * SPEC §2.2 for user edits: a backup before a session that writes. A user's session is taken as
 * an hour: the first edit after an hour without backup takes one, so that a burst of edits does
 * not copy a large base once per click.
 */
export async function beforeUserWrite(
  db: Db,
  config: Config,
  now: Date,
  actor: string,
  action: string,
  details: unknown,
): Promise<void> {
  const newest = listBackups(config.backupDir).at(-1);
  const stamp = newest ? /optiflow-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(newest) : null;
  const newestAt = stamp
    ? Date.UTC(+stamp[1]!, +stamp[2]! - 1, +stamp[3]!, +stamp[4]!, +stamp[5]!, +stamp[6]!)
    : 0;
  if (now.getTime() - newestAt > 3_600_000) {
    await backupDatabase(db, { dir: config.backupDir, keep: config.backupKeep, now });
  }
  db.prepare("INSERT INTO optiflow_audit (at, actor, action, details) VALUES (?, ?, ?, ?)").run(
    now.toISOString(),
    actor,
    action,
    JSON.stringify(details),
  );
}
