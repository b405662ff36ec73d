import type { FastifyInstance } from "fastify";
import { articleSheet } from "../../app/article-sheet.js";
import { ArticleParams } from "../../contract/pages.js";
import { readStoreSaleDays } from "../../data/legacy/read-article-history.js";
import { readOpenOrders } from "../../data/legacy/read-stock.js";
import type { OpenOrderLine } from "../../domain/replenishment/stock-position.js";
import { ApiError } from "../api-error.js";
import { sendCached } from "../published-cache.js";
import type { ServerDeps } from "../server-deps.js";
import { requirePublished } from "./published.js";

/** The article sheet: one article in one store, its history, forecast and what is on order. */
export function registerArticleRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // Per published run: the open orders (unindexed legacy tables, read once) and each store's
  // days with sales (a range scan of the date index), shared by every sheet of the run.
  let snapshot: {
    runId: number;
    orders: Map<string, OpenOrderLine[]>;
    saleDays: Map<string, Set<string>>;
  } | null = null;
  const ofRun = (runId: number) => {
    if (snapshot?.runId !== runId)
      snapshot = { runId, orders: readOpenOrders(deps.db), saleDays: new Map() };
    return snapshot;
  };

  app.get<{ Params: ArticleParams }>(
    "/api/articles/:articleId/:storeId",
    { schema: { params: ArticleParams } },
    async (request, reply) => {
      const publication = requirePublished(deps);
      const { articleId, storeId } = request.params;
      const answer = deps.cache!.get(publication, `article:${articleId}:${storeId}`, () => {
        const run = ofRun(publication.runId);
        const sheet = articleSheet(
          deps.db,
          publication,
          articleId,
          storeId,
          run.orders,
          (s, f, t) => {
            const key = `${s}:${f}:${t}`;
            let days = run.saleDays.get(key);
            if (!days) {
              days = readStoreSaleDays(deps.db, s, f, t);
              run.saleDays.set(key, days);
            }
            return days;
          },
        );
        if (!sheet)
          throw new ApiError(
            404,
            "not_found",
            `no article ${articleId} in store ${storeId} in the published results`,
          );
        return { ...publication, ...sheet };
      });
      return sendCached(request, reply, answer);
    },
  );
}
