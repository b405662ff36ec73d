import type { FastifyInstance } from "fastify";
import { checkDraftLine, draftPurchaseOrders, fillDraftOrder } from "../../app/draft-order.js";
import { purchaseOrderCsv, purchaseOrderFileName } from "../../app/purchase-order-csv.js";
import { ExportQuery, FillBody, OrderLineBody, OrderLineParams } from "../../contract/orders.js";
import {
  articleStoreExists,
  clearOrderLines,
  deleteOrderLine,
  listOrderLines,
  upsertOrderLine,
} from "../../data/optiflow/user-input-repository.js";
import { ApiError, checkRequestPart } from "../api-error.js";
import type { ServerDeps } from "../server-deps.js";
import { actorOf, userWrite } from "../user-writes.js";
import { requirePublished } from "./published.js";

/** The shared draft order, and the purchase orders it makes (one per supplier and store). */
export function registerOrderLineRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const today = () => deps.publication()?.today ?? deps.now().toISOString().slice(0, 10);
  const answer = () => ({
    lines: listOrderLines(deps.db),
    orders: draftPurchaseOrders(deps.db, today()),
  });

  app.get("/api/orders/lines", async () => answer());

  app.put<{ Body: OrderLineBody }>(
    "/api/orders/lines",
    { schema: { body: OrderLineBody } },
    async (request) => {
      const { articleId, storeId, quantity } = request.body;
      if (!articleStoreExists(deps.db, articleId, storeId))
        throw new ApiError(
          400,
          "unknown_article",
          "body/articleId or body/storeId does not exist",
          "body/articleId",
        );
      checkRequestPart("body", () => checkDraftLine(deps.db, articleId, quantity));
      const by = actorOf(request);
      await userWrite(deps, by, "order_line", request.body, (db, at) =>
        upsertOrderLine(db, articleId, storeId, quantity, at, by),
      );
      return answer();
    },
  );

  app.post<{ Body: FillBody }>(
    "/api/orders/fill",
    { schema: { body: FillBody } },
    async (request) => {
      const publication = requirePublished(deps);
      const by = actorOf(request);
      const result = await userWrite(deps, by, "order_fill", request.body, (db, at) =>
        fillDraftOrder(db, publication.runId, request.body, at, by),
      );
      return { ...result, ...answer() };
    },
  );

  app.delete<{ Params: OrderLineParams }>(
    "/api/orders/lines/:articleId/:storeId",
    { schema: { params: OrderLineParams } },
    async (request) => {
      const { articleId, storeId } = request.params;
      await userWrite(deps, actorOf(request), "order_line_removed", request.params, (db) =>
        deleteOrderLine(db, articleId, storeId),
      );
      return answer();
    },
  );

  app.delete("/api/orders/lines", async (request) => {
    await userWrite(deps, actorOf(request), "order_cleared", {}, (db) => clearOrderLines(db));
    return answer();
  });

  registerPurchaseOrderExport(app, deps, today);
}

/** One supplier's purchase order from the draft order, as CSV or JSON. */
function registerPurchaseOrderExport(
  app: FastifyInstance,
  deps: ServerDeps,
  today: () => string,
): void {
  app.get<{ Querystring: ExportQuery }>(
    "/api/orders/export",
    { schema: { querystring: ExportQuery } },
    async (request, reply) => {
      const q = request.query;
      const orders = draftPurchaseOrders(deps.db, today()).filter(
        (o) => o.supplier.id === q.supplier && (q.store === undefined || o.store.id === q.store),
      );
      const order = orders[0];
      if (!order)
        throw new ApiError(
          404,
          "not_found",
          `no line of supplier ${q.supplier} in the draft order`,
          "querystring/supplier",
        );
      if (orders.length > 1)
        throw new ApiError(
          400,
          "invalid_input",
          `supplier ${q.supplier} has lines for ${orders.length} stores: choose one with store=`,
          "querystring/store",
        );
      reply.header(
        "content-disposition",
        `attachment; filename="${purchaseOrderFileName(order, q.format)}"`,
      );
      if (q.format === "json") return order;
      reply.type("text/csv; charset=utf-8");
      return purchaseOrderCsv(order);
    },
  );
}
