import { closeSync, copyFileSync, fsyncSync, openSync, rmSync } from "node:fs";

/**
 * `target` replaced by a copy of `source` (a closed database: its write-ahead log is empty), with
 * no log or shared-memory file of an earlier `target` left beside it. The benches run their
 * nights on such copies, so that a generated base stays as generated and each run starts from
 * the same state, whatever ran before.
 */
export function freshCopy(source: string, target: string): void {
  for (const p of [target, `${target}-wal`, `${target}-shm`]) rmSync(p, { force: true });
  copyFileSync(source, target);
  // On disk before the timed work starts: the kernel's writeback of a 1.4 GB copy must not
  // overlap the night's reading.
  const fd = openSync(target, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
