import type { Migration } from "../migrate.js";

/**
 * The stores a data check concerns, as a JSON array of their codes (null: a check not made per
 * store): what the pages need to word "opening days without any sale (store MAG02)" in the
 * reader's language, which the stored French description could not give. Runs before it keep
 * null and their pages show that description.
 */
export const migration0019: Migration = {
  version: 19,
  name: "data check stores",
  sql: "ALTER TABLE optiflow_data_checks ADD COLUMN stores TEXT;",
};
