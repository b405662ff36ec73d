import { peakRssMb } from "./peak-rss.js";

/**
 * Loaded with `node --import` before a command the bench measures: says the process's peak
 * resident memory on stderr as it exits (`peak-rss-mb 172`).
 */
process.on("exit", () => {
  process.stderr.write(`\npeak-rss-mb ${peakRssMb().toFixed(0)}\n`);
});
