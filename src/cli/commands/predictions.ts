import type { Command } from "commander";
import { decimalComma } from "../../app/french-csv.js";
import { seriesFound } from "../../app/text-search.js";
import type { Db } from "../../data/open.js";
import {
  type ExportScope,
  findArticleByReference,
  iterateSeriesRows,
  listExportSeries,
  type NamedExportRow,
  type Publication,
  readAlerts,
  readForecasts,
  readPublishedNames,
} from "../../data/optiflow/published-results.js";
import { getKpi } from "../../data/optiflow/results-repository.js";
import type { PrecisionFigures } from "../../domain/kpi/precision.js";
import { ChunkedOutput } from "../chunked-output.js";
import type { CliContext } from "../cli-context.js";
import {
  CliError,
  parseIsoDateOption,
  parsePositiveIntegerOption,
  requireCsvOrJson,
} from "../cli-error.js";
import { printJson, printLines, printTable } from "../output.js";
import { openOutputFile } from "../output-file.js";
import { publicationHeader, publicationMeta, withPublication } from "../published.js";
import { resolveArticle, resolveStore } from "../resolve-names.js";
import { runBatchCommand } from "./ml.js";

interface Common {
  db?: string;
  json?: boolean;
}

export const EXPORT_HEADER = "date,store,article,forecast,p10,p50,p90,model";

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function registerPredictionsCommands(program: Command, context: CliContext): void {
  const predictions = program
    .command("predictions")
    .description("published forecasts and their accuracy");
  registerGenerate(predictions, context);
  registerAccuracy(predictions, context);
  registerExport(predictions, context);
  registerBatchAlias(predictions, context);
}

function registerGenerate(predictions: Command, context: CliContext): void {
  predictions
    .command("generate")
    .description(
      "daily forecasts of an article for the next <days> days (from the published batch)",
    )
    .argument("<article>", "article reference")
    .argument("<days>", "number of days", parsePositiveIntegerOption)
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((reference: string, days: number, options: Common) =>
      withPublication(context, options.db, (db, publication) => {
        const article = findArticleByReference(db, reference);
        if (!article) throw new CliError(`<article>: no article with reference "${reference}"`, 2);
        const stores = readAlerts(db, publication.runId).filter((a) => a.articleId === article.id);
        const series = stores.map((s) => ({
          store: s.storeCode,
          model: s.model,
          forecasts: readForecasts(db, publication.runId, article.id, s.storeId).slice(0, days),
        }));
        if (series.length > 0 && (series[0]?.forecasts.length ?? 0) < days) {
          throw new CliError(
            `<days>: the published horizon is ${series[0]?.forecasts.length} days`,
            2,
          );
        }
        if (options.json) return printJson({ ...publicationMeta(publication), article, series });
        printLines(publicationHeader(publication));
        for (const s of series) {
          printLines([
            "",
            `${article.reference} ${article.name} — ${s.store} (modèle ${s.model ?? "aucun"})`,
          ]);
          printTable(
            s.forecasts.map((f) => ({
              date: f.date,
              forecast: f.forecast,
              p10: f.p10,
              p50: f.p50,
              p90: f.p90,
              // The store's calendar, not a forecast of nothing.
              closed: f.closed ? "fermé" : "",
            })),
          );
        }
      }),
    );
}

function registerAccuracy(predictions: Command, context: CliContext): void {
  predictions
    .command("accuracy")
    .description("forecast precision (1 − WAPE) and MAPE, and predicted vs actual by week")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: Common) =>
      withPublication(context, options.db, (db, publication) => {
        const performance = getKpi<Record<string, unknown>>(
          db,
          publication.runId,
          "ml_performance",
        );
        const proof = getKpi<{ source: string; overall: Record<string, unknown>[] }>(
          db,
          publication.runId,
          "accuracy_proof",
        );
        if (options.json) return printJson({ ...publicationMeta(publication), performance, proof });
        printLines(publicationHeader(publication));
        const p = performance as Pick<
          PrecisionFigures,
          "source" | "precision" | "mape" | "baseline"
        > | null;
        const pct = (v: number | null | undefined) =>
          v === null || v === undefined ? "n/a" : `${decimalComma(v * 100, 1)} %`;
        // Where the figure comes from, as the pages say it: before 8 weeks of stored forecasts,
        // the held-out window no model choice looked at (step 5), not a selection backtest.
        const source =
          p?.source === "stored"
            ? "prévisions enregistrées, 8 dernières semaines"
            : "4 dernières semaines, que le choix des modèles n'a pas vues";
        printLines([`Précision : ${pct(p?.precision)} (${source}), MAPE ${pct(p?.mape)}`]);
        const baseline = p?.baseline;
        if (baseline)
          printLines([
            `Sur les mêmes semaines : moyenne des 28 derniers jours ${pct(baseline.precision)}, Optiflow ${pct(baseline.optiflowPrecision)}`,
          ]);
        if (proof) printTable(proof.overall);
      }),
    );
}

function registerExport(predictions: Command, context: CliContext): void {
  predictions
    .command("export")
    .description(
      `every published forecast, one row per day per article-store (CSV header: ${EXPORT_HEADER})`,
    )
    .option("--format <format>", "csv or json", "csv")
    .option("--store <code>", "only this store's forecasts (code or id)")
    .option("--article <reference>", "only this article's forecasts (reference or id)")
    .option(
      "--search <words>",
      "only the series whose article reference or name holds every word, case and accents aside (the Predictions page's search)",
    )
    .option("--output <file>", "write to a file instead of stdout")
    .option("--db <path>", "database file")
    .action(async (options: ExportOptions) => {
      requireCsvOrJson(options.format);
      // Checked before anything is read: a bad --output is an error, not a crash halfway.
      const file = options.output ? openOutputFile(options.output) : null;
      const out = file?.stream ?? process.stdout;
      try {
        await withPublication(
          context,
          options.db,
          async (db, publication) => {
            // Resolved before the header: a mistyped store is an error, not an empty file.
            const series = seriesFound(
              listExportSeries(db, publication.runId, exportScope(db, options)),
              options.search,
              options.search?.trim() ? readPublishedNames(db, publication.runId) : undefined,
            );
            // Not an error (a script may search for what is not sold yet), but not silent.
            if (series.length === 0 && options.search?.trim())
              process.stderr.write(`--search: no published series matches "${options.search}"\n`);
            const rows = iterateSeriesRows(db, publication.runId, series);
            const output = new ChunkedOutput(out);
            for (const text of exportText(options.format, publication, rows))
              if (output.add(text)) await output.flush();
            await output.flush();
            await file?.commit();
          },
          { snapshot: true },
        );
      } catch (error) {
        file?.abort();
        throw error;
      }
    });
}

/** The export's text, row by row, as CSV (for scripts) or JSON. */
function* exportText(
  format: string,
  publication: Publication,
  rows: Iterable<NamedExportRow>,
): Generator<string> {
  if (format === "csv") {
    yield `${EXPORT_HEADER}\n`;
    for (const r of rows)
      yield `${[r.date, r.store, r.article, r.forecast, r.p10, r.p50, r.p90, r.model].map(csvField).join(",")}\n`;
    return;
  }
  yield `{"computedAt":${JSON.stringify(publication.computedAt)},"stale":${publication.stale},"runId":${publication.runId},"rows":[`;
  let first = true;
  for (const { date, store, article, forecast, p10, p50, p90, model } of rows) {
    const r = { date, store, article, forecast, p10, p50, p90, model };
    yield `${first ? "" : ","}\n${JSON.stringify(r)}`;
    first = false;
  }
  yield "\n]}\n";
}

interface ExportOptions {
  format: string;
  store?: string;
  article?: string;
  search?: string;
  output?: string;
  db?: string;
}

function exportScope(db: Db, options: ExportOptions): ExportScope {
  return {
    storeId: options.store === undefined ? undefined : resolveStore(db, options.store, "--store"),
    articleId:
      options.article === undefined ? undefined : resolveArticle(db, options.article, "--article"),
  };
}

function registerBatchAlias(predictions: Command, context: CliContext): void {
  predictions
    .command("batch")
    .description("same as `optiflow ml batch`")
    .option("--db <path>", "database file")
    .option("--today <date>", "the batch's day (YYYY-MM-DD)", parseIsoDateOption)
    .option("--force", "run for a --today outside the sales history or before the published day")
    .option("--json", "print the run as JSON")
    .action((options: Common & { today?: string; force?: boolean }) =>
      runBatchCommand(context, options),
    );
}
