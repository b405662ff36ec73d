import { parentPort } from "node:worker_threads";
import { serveJobs } from "../concurrency/worker-job.js";
import { type ForecastJob, forecastJob } from "./forecast-job.js";

/** A worker thread of step 2: forecasts the series it is sent, returns the results. */
serveJobs((job: ForecastJob) => {
  const results = forecastJob(job);
  parentPort?.postMessage(
    results,
    results.flatMap((r) =>
      r.forecast
        ? [
            r.forecast.mean.buffer as ArrayBuffer,
            ...(r.forecast.heldOut ? [r.forecast.heldOut.forecast.buffer as ArrayBuffer] : []),
          ]
        : [],
    ),
  );
});
