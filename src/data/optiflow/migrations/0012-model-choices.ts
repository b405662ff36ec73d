import type { Migration } from "../migrate.js";

/**
 * Each store's model selection (forecast-store.ts, StoreSelection), kept so that the nights
 * until the next selection refit each series' choice instead of choosing again: the night it was
 * made, the pipeline it was made by, and the selection itself (JSON). Derived from
 * the legacy history like the history cache (hence its prefix): left out of backups, made again
 * by the next night when missing.
 */
export const migration0012: Migration = {
  version: 12,
  name: "model choices",
  sql: `CREATE TABLE optiflow_history_model_choices (
          magasin_id INTEGER PRIMARY KEY,
          selected_on TEXT NOT NULL,
          pipeline TEXT NOT NULL,
          selection TEXT NOT NULL
        );`,
};
