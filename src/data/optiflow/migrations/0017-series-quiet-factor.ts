import type { Migration } from "../migrate.js";

/**
 * For a series gone quiet at the batch, 1 when its forecast took the quiet series' factor (the
 * store's or the chain's), 0 when it kept its class's factor (a store without enough quiet weeks,
 * alone or with `quietAcrossStores` off): the article sheet then does not call the class's factor
 * a reduction for the silence. Null for every other series, and in runs before this column.
 */
export const migration0017: Migration = {
  version: 17,
  name: "series quiet factor",
  sql: "ALTER TABLE optiflow_series ADD COLUMN quiet_factor INTEGER;",
};
