import type { Migration } from "../migrate.js";

/**
 * The sales history in Optiflow's own form (issue 17): per article × store, the daily units of
 * every day before `frozen_end` and the empty-shelf days, packed; per store, the days it
 * sold anything. A night reads only the weeks after `frozen_end` from the legacy tables, after
 * proving by checksum that nothing before it changed. Derived data: left out of backups.
 */
export const migration0011: Migration = {
  version: 11,
  name: "history cache",
  sql: `CREATE TABLE optiflow_history_cache (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          first_day TEXT NOT NULL,
          frozen_end TEXT NOT NULL,
          sales_checksum TEXT NOT NULL,
          stock_checksum TEXT NOT NULL,
          built_at TEXT NOT NULL
        );
        CREATE TABLE optiflow_history_series (
          article_id INTEGER NOT NULL,
          magasin_id INTEGER NOT NULL,
          sales BLOB NOT NULL,
          empty_stock_days BLOB NOT NULL,
          PRIMARY KEY (article_id, magasin_id)
        );
        CREATE TABLE optiflow_history_store_days (
          magasin_id INTEGER PRIMARY KEY,
          open_days BLOB NOT NULL
        );`,
};
