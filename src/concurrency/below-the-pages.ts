import { getPriority, setPriority } from "node:os";

/**
 * Work in the background of `optiflow serve` (a download's thread, the scheduled batch and
 * replay) runs this many nice steps below the server's own thread, which answers the pages: a
 * page's answer takes milliseconds, that work seconds to minutes, so where they share a core the
 * page goes first. It takes no privilege to lower a priority, only to raise one back.
 */
const STEPS_BELOW_THE_PAGES = 10;
const LOWEST_PRIORITY = 19;

/** The caller's nice value, taken down; on Linux a thread's, inherited from its creator. */
const lowered = () => Math.min(getPriority() + STEPS_BELOW_THE_PAGES, LOWEST_PRIORITY);

/**
 * The calling thread (a worker's). Linux keeps a nice value per thread, and `setPriority` on
 * "this process" sets the calling thread's; other systems would lower the whole server, for
 * good, so there it is left alone.
 */
export function putThisThreadBelowThePages(): void {
  if (process.platform !== "linux") return;
  try {
    setPriority(lowered());
  } catch {
    // A sandbox that forbids it: the work runs at the server's priority, as before.
  }
}

/**
 * A child process just started. On Linux this sets its main thread, whose threads started
 * afterwards (the batch's forecast workers) inherit it; elsewhere, the whole child.
 */
export function putChildBelowThePages(pid: number): void {
  try {
    setPriority(pid, lowered());
  } catch {
    // Gone already, or a sandbox that forbids it: it runs at the server's priority, as before.
  }
}
