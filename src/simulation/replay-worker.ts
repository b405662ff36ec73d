import { parentPort } from "node:worker_threads";
import { serveJobs } from "../concurrency/worker-job.js";
import { type ReplayJob, replayJob } from "./replay-job.js";

/** A worker thread of `optiflow simulate`: replays the series it is sent, returns their rows. */
serveJobs((job: ReplayJob) => {
  parentPort?.postMessage(replayJob(job));
});
