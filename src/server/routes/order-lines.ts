import type { FastifyInstance } from "fastify";
import {
  articleStoreExists,
  clearOrderLines,
  deleteOrderLine,
  listOrderLines,
  upsertOrderLine,
} from "../../data/optiflow/user-input-repository.js";
import type { ServerDeps } from "../server-deps.js";
import { userWrite } from "../user-writes.js";

const ID = { type: "integer", minimum: 1 } as const;

class InputError extends Error {
  readonly statusCode = 400;
}

/** The shared draft order: lines added from the calculator, grouped by supplier in the pages. */
export function registerOrderLineRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/orders/lines", async () => ({ lines: listOrderLines(deps.db) }));

  app.put<{ Body: { articleId: number; storeId: number; quantity: number } }>(
    "/api/orders/lines",
    {
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          required: ["articleId", "storeId", "quantity"],
          properties: {
            articleId: ID,
            storeId: ID,
            quantity: { type: "number", exclusiveMinimum: 0, maximum: 1_000_000 },
          },
        },
      },
    },
    async (request) => {
      const { articleId, storeId, quantity } = request.body;
      if (!articleStoreExists(deps.db, articleId, storeId))
        throw new InputError("body/articleId or body/storeId does not exist");
      const actor = request.user?.login ?? "web";
      await userWrite(deps, actor, "order_line", request.body, (db, at) =>
        upsertOrderLine(db, articleId, storeId, quantity, at, actor),
      );
      return { lines: listOrderLines(deps.db) };
    },
  );

  app.delete<{ Params: { articleId: number; storeId: number } }>(
    "/api/orders/lines/:articleId/:storeId",
    {
      schema: {
        params: {
          type: "object",
          required: ["articleId", "storeId"],
          properties: { articleId: ID, storeId: ID },
        },
      },
    },
    async (request) => {
      const { articleId, storeId } = request.params;
      await userWrite(
        deps,
        request.user?.login ?? "web",
        "order_line_removed",
        request.params,
        (db) => deleteOrderLine(db, articleId, storeId),
      );
      return { lines: listOrderLines(deps.db) };
    },
  );

  app.delete("/api/orders/lines", async (request) => {
    await userWrite(deps, request.user?.login ?? "web", "order_cleared", {}, (db) =>
      clearOrderLines(db),
    );
    return { lines: [] };
  });
}
