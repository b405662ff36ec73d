import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "./server-deps.js";

/** How often the server looks for a newly published run: the batch publishes from another process. */
const WATCH_INTERVAL_MS = 30_000;

/**
 * Reads a newly published run's alerts before anyone asks for them: otherwise the first manager
 * of the morning waits for the read (about half a second for 10,000 articles, seconds for a
 * chain). Done once the server is ready, then whenever a check finds another run published
 * (by the scheduled batch or by `optiflow ml batch`). A failure is only logged: the first
 * request will read them itself and report what is wrong.
 */
export function warmPublishedRuns(app: FastifyInstance, deps: ServerDeps): void {
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const warm = () => {
    if (closed || !deps.alerts) return;
    try {
      const publication = deps.publication();
      // Reads the run's alerts unless already held (PublishedAlerts.of).
      if (publication) deps.alerts.of(publication.runId);
    } catch (error) {
      deps.onError?.(error);
    }
  };
  app.addHook("onReady", async () => {
    setImmediate(warm);
    timer = setInterval(warm, WATCH_INTERVAL_MS);
    // The check never keeps a process alive on its own (a CLI command or a test ending).
    timer.unref();
  });
  app.addHook("onClose", async () => {
    closed = true;
    if (timer) clearInterval(timer);
  });
}
