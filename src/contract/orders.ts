import { type Static, Type } from "@sinclair/typebox";
import { Id } from "./common.js";

/** PUT /api/orders/lines */
export const OrderLineBody = Type.Object(
  {
    articleId: Id,
    storeId: Id,
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type OrderLineBody = Static<typeof OrderLineBody>;

export const OrderLineParams = Type.Object(
  { articleId: Id, storeId: Id },
  { additionalProperties: false },
);
export type OrderLineParams = Static<typeof OrderLineParams>;

/** POST /api/orders/fill: every suggestion of a level (critical, or critical and warning). */
export const FillBody = Type.Object(
  {
    level: Type.Union([Type.Literal("CRITIQUE"), Type.Literal("ATTENTION")]),
    storeId: Type.Optional(Type.Union([Id, Type.Null()])),
    supplierId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type FillBody = Static<typeof FillBody>;

/** GET /api/orders/export: one supplier's purchase order (for one store, or each of its stores). */
export const ExportQuery = Type.Object(
  {
    supplier: Id,
    store: Type.Optional(Id),
    format: Type.Union([Type.Literal("csv"), Type.Literal("json")]),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;
