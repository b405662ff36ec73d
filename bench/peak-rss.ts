import { readFileSync } from "node:fs";

/**
 * This process's peak resident memory, in MB. `process.resourceUsage().maxRSS` is not it in a
 * child process: Linux keeps the high-water mark across fork and exec, so a child spawned by
 * the bench reported the bench's own peak when that was higher (661 MB for both nights in
 * earlier reports, whose children peaked near 500 MB). `VmHWM` belongs to the memory the
 * process maps since its exec (its threads included). Where /proc is missing, the rusage
 * figure, an upper bound.
 */
export function peakRssMb(status = readProcStatus()): number {
  const kb = status === null ? null : /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return (kb ? Number(kb) : process.resourceUsage().maxRSS) / 1024;
}

function readProcStatus(): string | null {
  try {
    return readFileSync("/proc/self/status", "utf8");
  } catch {
    return null;
  }
}
