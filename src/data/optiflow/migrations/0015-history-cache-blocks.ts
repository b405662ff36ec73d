import type { Migration } from "../migrate.js";

/**
 * The history cache stored in blocks of consecutive days instead of one row per series (issue
 * 17): moving its frozen end forward now rewrites the last block (a few weeks at most), appends
 * and deletes whole blocks, where it rewrote the whole cache every 28 nights. A block holds the
 * units of every series on its days [first_day, end_day), series after series in the order of
 * `optiflow_history_keys`, packed (packed-days.ts); its empty shelves as (series position, day)
 * pairs and its open stores as (store, day) pairs, in 32-bit integers. Derived data: the old
 * cache is dropped and the next night reads the history in full.
 */
export const migration0015: Migration = {
  version: 15,
  name: "history cache in blocks of days",
  sql: `DELETE FROM optiflow_history_cache;
        DROP TABLE optiflow_history_series;
        DROP TABLE optiflow_history_store_days;
        CREATE TABLE optiflow_history_keys (
          position INTEGER PRIMARY KEY,
          article_id INTEGER NOT NULL,
          magasin_id INTEGER NOT NULL,
          UNIQUE (article_id, magasin_id)
        );
        CREATE TABLE optiflow_history_blocks (
          first_day TEXT PRIMARY KEY,
          end_day TEXT NOT NULL,
          sales BLOB NOT NULL,
          empty_stock BLOB NOT NULL,
          open_stores BLOB NOT NULL
        );`,
};
