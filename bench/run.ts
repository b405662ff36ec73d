import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { type AccuracyRow, runAccuracyBench } from "./accuracy-bench.js";
import { loadItalianGrocery } from "./datasets/italian-grocery.js";

/**
 * `npm run bench`: accuracy and speed of every model on held-out final weeks, written to
 * bench/RESULTS.md with the command and the machine. Data sets that are absent are skipped.
 */
const HIDDEN_WINDOWS = ["2017-12-31", "2016-12-31", "2017-06-30", "2015-10-31"];

function main(): void {
  const rows: AccuracyRow[] = [];
  const skipped: string[] = [];
  for (const end of HIDDEN_WINDOWS) {
    const dataset = loadItalianGrocery(end, 28);
    if (!dataset) {
      skipped.push("italian-grocery (../shared/data absent)");
      break;
    }
    process.stderr.write(`bench: ${dataset.name}\n`);
    rows.push(...runAccuracyBench(dataset));
  }
  const report = renderReport(rows, skipped);
  writeFileSync(new URL("../../bench/RESULTS.md", import.meta.url), report);
  process.stdout.write(report);
}

function renderReport(rows: readonly AccuracyRow[], skipped: readonly string[]): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const lines = [
    "# Benchmark results",
    "",
    "Produced by `npm run bench` (this file is overwritten on each run).",
    "",
    `Machine: ${machine}. Run on ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "Weekly WAPE = Σ|F − A| / Σ A over article-weeks of the hidden window (lower is better).",
    "Time = fit + forecast per series, single thread; the selection includes its 3 rolling-origin backtests of 28 days for every candidate.",
    "",
  ];
  for (const dataset of [...new Set(rows.map((r) => r.dataset))]) {
    const group = rows.filter((r) => r.dataset === dataset);
    const best = Math.min(
      ...group.filter((r) => !r.model.startsWith("optiflow")).map((r) => r.weeklyWape),
    );
    lines.push(
      `## ${dataset}`,
      "",
      "| model | weekly WAPE | vs best single model | ms / series |",
      "|---|---:|---:|---:|",
    );
    for (const r of group) {
      lines.push(
        `| ${r.model} | ${(r.weeklyWape * 100).toFixed(1)}% | ${((r.weeklyWape / best - 1) * 100).toFixed(1)}% | ${r.msPerSeries.toFixed(2)} |`,
      );
    }
    lines.push("");
  }
  if (skipped.length > 0) lines.push(`Skipped: ${skipped.join("; ")}.`, "");
  return `${lines.join("\n")}\n`;
}

main();
