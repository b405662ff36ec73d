import { generateDemoDatabase } from "../src/demo/generate-demo.js";
import { peakRssMb } from "./peak-rss.js";

/** Generates a demo base in its own process, so that its time and peak memory are its own. */
const [path, articles, stores, today] = process.argv.slice(2) as [string, string, string, string];
const started = performance.now();
const summary = generateDemoDatabase(path, {
  articles: Number(articles),
  stores: Number(stores),
  years: 3,
  seed: 42,
  today,
});
process.stdout.write(
  JSON.stringify({
    seconds: (performance.now() - started) / 1000,
    maxRssMb: peakRssMb(),
    rows: summary.rows,
  }),
);
