import type { Migration } from "../migrate.js";

/**
 * Every query of optiflow_forecasts starts from a run (its primary key's first column); the
 * index by article and date served none, and each batch's 600,000 new rows (10,000 series)
 * went into it at scattered places among the retained runs' millions: about 4 s of step 2.
 */
export const migration0005: Migration = {
  version: 5,
  name: "drop the unused forecasts index by article and date",
  sql: "DROP INDEX IF EXISTS optiflow_forecasts_date;",
};
