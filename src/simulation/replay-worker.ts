import { parentPort } from "node:worker_threads";
import { type ReplayJob, replayJob } from "./replay-job.js";

/** A worker thread of `optiflow simulate`: replays the series it is sent, returns their rows. */
parentPort?.on("message", (job: ReplayJob) => {
  parentPort?.postMessage(replayJob(job));
});
