import type { Migration } from "../migrate.js";

/**
 * The factor each series' forecast was rescaled by, learned per store and demand class from
 * the backtest weeks (src/domain/forecast/calibration.ts): kept with the model and its scores,
 * so that what was forecast can be explained. Earlier runs were not rescaled: 1.
 */
export const migration0006: Migration = {
  version: 6,
  name: "series calibration factor",
  sql: "ALTER TABLE optiflow_series ADD COLUMN calibration REAL NOT NULL DEFAULT 1;",
};
