import type { Migration } from "../migrate.js";

/**
 * The batch lock names its process by pid *and* by when that process started: after a crash and
 * a reboot, the pid may belong to another program, which must not keep the lock forever.
 */
export const migration0007: Migration = {
  version: 7,
  name: "batch lock process start",
  sql: "ALTER TABLE optiflow_batch_lock ADD COLUMN process_start TEXT;",
};
