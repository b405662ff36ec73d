import type { Migration } from "../migrate.js";

/**
 * The honest accuracy of each series' forecast: the chosen model, chosen without the most recent
 * four weeks and calibrated, scored on them (Σ|F − A| and Σ A of weekly totals). Null where the
 * history was too short to hold a window out.
 */
export const migration0008: Migration = {
  version: 8,
  name: "series held-out score",
  sql: `ALTER TABLE optiflow_series ADD COLUMN held_out_error REAL;
        ALTER TABLE optiflow_series ADD COLUMN held_out_actual REAL;`,
};
