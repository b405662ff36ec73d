import type { Migration } from "../migrate.js";

/**
 * The history cache's daily sales are now packed in the narrowest exact form (packed-days.ts)
 * instead of eight bytes a day. A cache written the old way is emptied: the next night finds
 * none, reads the history in full and writes it again in the new form.
 */
export const migration0013: Migration = {
  version: 13,
  name: "history cache in narrow days",
  sql: `DELETE FROM optiflow_history_cache;
        DELETE FROM optiflow_history_series;
        DELETE FROM optiflow_history_store_days;`,
};
