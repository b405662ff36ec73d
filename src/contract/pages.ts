import { type Static, Type } from "@sinclair/typebox";
import { Id } from "./common.js";

/** GET /api/dashboard */
export const DashboardQuery = Type.Object(
  { store: Type.Optional(Id) },
  { additionalProperties: false },
);
export type DashboardQuery = Static<typeof DashboardQuery>;

/** GET /api/predictions: the list of series (searchable, paged) and, when chosen, one series. */
export const PredictionsQuery = Type.Object(
  {
    article: Type.Optional(Id),
    store: Type.Optional(Id),
    search: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  { additionalProperties: false },
);
export type PredictionsQuery = Static<typeof PredictionsQuery>;

/**
 * GET /api/predictions/export: every published forecast of a store, an article, a series, or of
 * the series the Predictions page's search finds.
 */
export const PredictionsExportQuery = Type.Object(
  {
    article: Type.Optional(Id),
    store: Type.Optional(Id),
    search: Type.Optional(Type.String({ maxLength: 100 })),
    /**
     * A token the page picks to learn when its download starts: the answer that carries the file
     * sets the cookie `optiflow_download_<token>`, which the page reads and clears.
     */
    download: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9]{8,32}$" })),
  },
  { additionalProperties: false },
);
export type PredictionsExportQuery = Static<typeof PredictionsExportQuery>;

/** GET /api/articles/:articleId/:storeId — the article sheet. */
export const ArticleParams = Type.Object(
  { articleId: Id, storeId: Id },
  { additionalProperties: false },
);
export type ArticleParams = Static<typeof ArticleParams>;

/** GET /api/simulation, GET /api/simulation/export: the latest replay of a store (or of all). */
export const SimulationQuery = Type.Object(
  { store: Type.Optional(Id), id: Type.Optional(Id) },
  { additionalProperties: false },
);
export type SimulationQuery = Static<typeof SimulationQuery>;
