import { forecastCsvChunks } from "../app/forecast-csv.js";
import { seriesFound } from "../app/text-search.js";
import type { PredictionsExportQuery } from "../contract/pages.js";
import { readArticleReference, readStoreCode } from "../data/legacy/read-catalog.js";
import { type Db, openDatabaseReadonly } from "../data/open.js";
import {
  type ClosedDays,
  iterateSeriesRows,
  listExportSeries,
  readPublication,
  readPublishedNames,
} from "../data/optiflow/published-results.js";
import { CLOSED_DAYS_KPI, getKpi } from "../data/optiflow/results-repository.js";
import { downloadFileName } from "./download-name.js";
import { refuseUnpublished } from "./routes/published.js";
import type { ServerDeps } from "./server-deps.js";

/**
 * What a download needs to read the forecasts on any thread: the base's path, the clock and the
 * cache's duration as the route saw them, and the query.
 */
export interface ForecastExportJob {
  dbPath: string;
  nowIso: string;
  cacheDurationHours: number;
  query: PredictionsExportQuery;
}

export function forecastExportJob(
  deps: ServerDeps,
  query: PredictionsExportQuery,
): ForecastExportJob {
  return {
    dbPath: deps.config.dbPath,
    nowIso: deps.now().toISOString(),
    cacheDurationHours: deps.config.cacheDurationHours,
    query,
  };
}

/** A download of published forecasts, ready to be read chunk by chunk as the client takes it. */
export interface ForecastExport {
  fileName: string;
  chunks: Iterable<string>;
  /** Closes the download's connection: once sent, or dropped, or never started. */
  close(): void;
}

/**
 * The published forecasts of a store, an article, a series, all, or the series a search finds,
 * read series by series as the client takes them, in one snapshot of the base on a connection of
 * the download's own:
 * - one snapshot (BEGIN before the publication is read): a batch publishing during the download
 *   deletes the previous run's daily rows, and must not leave a file with its first series and
 *   none of the others;
 * - its own connection: that snapshot is a transaction left open while the client downloads, and
 *   on the pages' connection it would keep every page on yesterday's run after a batch publishes.
 */
export function openForecastExport(job: ForecastExportJob): ForecastExport {
  const q = job.query;
  const snapshot = openDatabaseReadonly(job.dbPath);
  try {
    snapshot.exec("BEGIN");
    const publication = refuseUnpublished(
      readPublication(snapshot, new Date(job.nowIso), job.cacheDurationHours),
    );
    const series = seriesFound(
      listExportSeries(snapshot, publication.runId, { storeId: q.store, articleId: q.article }),
      q.search,
      q.search?.trim() ? readPublishedNames(snapshot, publication.runId) : undefined,
    );
    const rows = iterateSeriesRows(snapshot, publication.runId, series);
    const closed = getKpi<ClosedDays>(snapshot, publication.runId, CLOSED_DAYS_KPI);
    return {
      fileName: forecastFileName(snapshot, q, publication.today),
      chunks: forecastCsvChunks(rows, closed),
      close: () => snapshot.close(),
    };
  } catch (error) {
    snapshot.close();
    throw error;
  }
}

function forecastFileName(db: Db, q: PredictionsExportQuery, today: string): string {
  const store = q.store === undefined ? null : readStoreCode(db, q.store);
  const article = q.article === undefined ? null : readArticleReference(db, q.article);
  return downloadFileName("previsions", [store, article, q.search?.trim()], today);
}
