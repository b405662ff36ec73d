import type { FastifyInstance } from "fastify";
import { containsEveryWord, seriesText } from "../../app/text-search.js";
import { PredictionsExportQuery, PredictionsQuery } from "../../contract/pages.js";
import { readForecasts } from "../../data/optiflow/published-results.js";
import { getKpi, PREDICTIONS_SUMMARY_KPI } from "../../data/optiflow/results-repository.js";
import { forecastExportJob } from "../forecast-export.js";
import { startForecastExport } from "../forecast-export-in-worker.js";
import { requireKnownReferences } from "../known-references.js";
import { sendCached, sendStream } from "../published-cache.js";
import type { ServerDeps } from "../server-deps.js";
import { requirePublished } from "./published.js";

export interface PredictionSummaryRow {
  articleId: number;
  storeId: number;
  storeCode?: string;
  reference?: string;
  name?: string;
  next28: number;
}

const DEFAULT_LIMIT = 100;

/**
 * The series to choose from: every one of the store (or all stores) matching the search without
 * regard to accents, the biggest sellers first; `total` says how many match, so the page says
 * how many it lists.
 */
function chooseFrom<T extends PredictionSummaryRow>(
  rows: readonly T[] | null,
  search: string | undefined,
  store: number | undefined,
  limit: number,
): { rows: T[]; total: number } {
  const matching = (rows ?? []).filter(
    (r) =>
      (store === undefined || r.storeId === store) &&
      containsEveryWord(seriesText(r), search ?? ""),
  );
  return {
    rows: [...matching].sort((a, b) => b.next28 - a.next28).slice(0, limit),
    total: matching.length,
  };
}

export function registerPredictionsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: PredictionsQuery }>(
    "/api/predictions",
    { schema: { querystring: PredictionsQuery } },
    async (request, reply) => {
      const publication = requirePublished(deps);
      const { article, store, search, limit } = request.query;
      const kpi = <T>(key: string) => getKpi<T>(deps.db, publication.runId, key);
      const answer = deps.cache!.get(
        publication,
        `predictions:${article ?? ""}:${store ?? ""}:${search ?? ""}:${limit ?? ""}`,
        () => {
          // On a miss only (a refusal is never cached). An article without forecasts (too new,
          // inactive) still answers, with none.
          requireKnownReferences(deps.db, { article, store });
          const list = chooseFrom(
            kpi<PredictionSummaryRow[]>(PREDICTIONS_SUMMARY_KPI),
            search,
            store,
            limit ?? DEFAULT_LIMIT,
          );
          const accuracy = kpi<{
            source: string;
            overall: unknown[];
            perArticle: { articleId: number; storeId: number; weeks: unknown[] }[];
          }>("accuracy_proof");
          return {
            ...publication,
            summary: list.rows,
            summaryTotal: list.total,
            accuracy: accuracy
              ? {
                  source: accuracy.source,
                  overall: accuracy.overall,
                  article:
                    article && store
                      ? (accuracy.perArticle.find(
                          (p) => p.articleId === article && p.storeId === store,
                        )?.weeks ?? null)
                      : null,
                }
              : null,
            mlPerformance: kpi("ml_performance"),
            improvement: kpi("improvement"),
            forecasts:
              article && store ? readForecasts(deps.db, publication.runId, article, store) : null,
          };
        },
      );
      return sendCached(request, reply, answer);
    },
  );

  app.get<{ Querystring: PredictionsExportQuery }>(
    "/api/predictions/export",
    { schema: { querystring: PredictionsExportQuery } },
    async (request, reply) => {
      const { download: token, ...query } = request.query;
      requireKnownReferences(deps.db, query);
      // A client that leaves while its download waits for a place gets no thread started.
      const gone = new AbortController();
      reply.raw.once("close", () => gone.abort());
      const download = await startForecastExport(forecastExportJob(deps, query), {
        signal: gone.signal,
      });
      reply.header("content-disposition", `attachment; filename="${download.fileName}"`);
      if (token) reply.header("set-cookie", downloadStartedCookie(token));
      return sendStream(request, reply, "text/csv; charset=utf-8", download.chunks, () =>
        download.close(),
      );
    },
  );
}

/**
 * Said with the file's first bytes: the page that asked (its token in `download`) stops saying
 * the download is being prepared. Readable by the page's script, as it must be: it holds nothing
 * but the page's own token, and expires within two minutes if the page is gone.
 */
function downloadStartedCookie(token: string): string {
  return `optiflow_download_${token}=1; SameSite=Strict; Path=/; Max-Age=120`;
}
