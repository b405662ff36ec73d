import type { Migration } from "../migrate.js";

/**
 * What a forecast of almost nothing still sells over a period (level-uncertainty.ts, the
 * level's floor): its rate per day and its dispersion, learned per store and demand class on
 * the held-out weeks so forecast. NULL: no floor (none learned, or a run before these columns).
 */
export const migration0021: Migration = {
  version: 21,
  name: "series period floor",
  sql: `ALTER TABLE optiflow_series ADD COLUMN period_floor_rate REAL;
        ALTER TABLE optiflow_series ADD COLUMN period_floor_phi REAL;`,
};
