import type { Migration } from "../migrate.js";

/** The draft order the buyers build from the alerts, shared by everyone using the store's Optiflow. */
export const migration0003: Migration = {
  version: 3,
  name: "draft order lines",
  sql: `
    CREATE TABLE optiflow_order_lines (
      article_id  INTEGER NOT NULL,
      magasin_id  INTEGER NOT NULL,
      quantity    REAL NOT NULL CHECK (quantity > 0),
      updated_at  TEXT NOT NULL,
      updated_by  TEXT NOT NULL,
      PRIMARY KEY (article_id, magasin_id)
    );
  `,
};
