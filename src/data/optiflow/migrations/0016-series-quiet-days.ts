import type { Migration } from "../migrate.js";

/**
 * For a series gone quiet at the batch (dormancy.ts: two weeks without a sale, or a sudden stop),
 * the known days without a sale before the batch's day; null for every other series. The article
 * sheet says so beside the forecast, which the quiet series' factor scaled down.
 */
export const migration0016: Migration = {
  version: 16,
  name: "series quiet days",
  sql: "ALTER TABLE optiflow_series ADD COLUMN quiet_days INTEGER;",
};
