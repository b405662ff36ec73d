import { getPriority, setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { type ForecastExportJob, openForecastExport } from "./forecast-export.js";
import { type ExportMessage, type ExportOrder, sentError } from "./forecast-export-messages.js";

/**
 * The thread of one forecast download (`startForecastExport`): answers "ready" or "failed", then
 * one chunk per "next", and "end" after the last. "stop", or the end, closes the connection and
 * the port, and the thread ends by itself.
 */
const port = parentPort;
const post = (message: ExportMessage) => port?.postMessage(message);

function serve(): void {
  let download: ReturnType<typeof openForecastExport>;
  try {
    download = openForecastExport(workerData as ForecastExportJob);
  } catch (error) {
    post({ type: "failed", error: sentError(error) });
    return;
  }
  post({ type: "ready", fileName: download.fileName });
  const chunks = download.chunks[Symbol.iterator]();
  let open = true;
  const finish = () => {
    open = false;
    download.close();
    port?.close();
  };
  port?.on("message", (order: ExportOrder) => {
    if (!open) return;
    if (order === "stop") return finish();
    try {
      const next = chunks.next();
      post(next.done ? { type: "end" } : { type: "chunk", text: next.value });
      if (next.done) finish();
    } catch (error) {
      post({ type: "failed", error: sentError(error) });
      finish();
    }
  });
}

/**
 * A page's answer takes milliseconds and a download seconds: where they share a core, the page
 * should go first. Linux keeps a nice value per thread, and `setPriority` on "this process" sets
 * the calling thread's (the server's own thread keeps its own); on other systems it would lower
 * the whole server, for good, so there it is left alone. Steps below the server's own value,
 * inherited by this thread: a server already niced keeps its downloads below it.
 */
const STEPS_BELOW_THE_PAGES = 10;
const LOWEST_PRIORITY = 19;

function yieldToThePages(): void {
  if (process.platform !== "linux") return;
  try {
    setPriority(Math.min(getPriority() + STEPS_BELOW_THE_PAGES, LOWEST_PRIORITY));
  } catch {
    // A sandbox that forbids it: the download runs at the server's priority, as before.
  }
}

yieldToThePages();
serve();
