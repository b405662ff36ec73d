import type { Migration } from "../migrate.js";

/**
 * The units due on an alert's next delivery day, beside the day (`next_delivery`): the goods on
 * order in total may be several deliveries, and "48 attendu(s) le 4 déc." read as one. NULL: a
 * run published before it was kept.
 */
export const migration0024: Migration = {
  version: 24,
  name: "alert next delivery quantity",
  sql: "ALTER TABLE optiflow_alerts ADD COLUMN next_delivery_quantity REAL;",
};
