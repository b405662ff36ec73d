import { parentPort, workerData } from "node:worker_threads";
import { putThisThreadBelowThePages } from "../concurrency/below-the-pages.js";
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

// Where a download shares a core with the server's thread, the page's answer goes first.
putThisThreadBelowThePages();
serve();
