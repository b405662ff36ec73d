import { readFileSync } from "node:fs";

/** A lock older than this, whose holder cannot be identified otherwise, is taken as abandoned. */
const MAX_LOCK_AGE_MS = 12 * 3_600_000;

/**
 * What tells a process apart from a later one given the same pid: on Linux its start time in
 * clock ticks since boot (field 22 of /proc/<pid>/stat); elsewhere the wall clock when the lock
 * was taken, and an age limit.
 */
export function processStartMark(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const start = fields[19];
    return start ? `proc:${start}` : null;
  } catch {
    return null;
  }
}

export function currentProcessMark(): string {
  return processStartMark(process.pid) ?? `wall:${Date.now()}`;
}

/** Whether some process has this pid (EPERM: it exists, owned by someone else). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the process that wrote `mark` (with `pid`) is still running. */
export function isSameProcessRunning(pid: number, mark: string | null): boolean {
  if (!isProcessRunning(pid)) return false;
  if (mark?.startsWith("proc:")) return processStartMark(pid) === mark;
  if (mark?.startsWith("wall:")) return Date.now() - Number(mark.slice(5)) < MAX_LOCK_AGE_MS;
  // A lock from before the mark existed: the pid alone, as it used to be.
  return true;
}
