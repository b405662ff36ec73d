import type { Migration } from "../migrate.js";

/**
 * What each replayed article × store would have thrown away past its shelf life, on Optiflow's
 * side and on the retailer's (shelf-life-ledger.ts). NULL: a replay stored before it was counted.
 */
export const migration0023: Migration = {
  version: 23,
  name: "simulation expired units",
  sql: `ALTER TABLE optiflow_simulation_series ADD COLUMN sim_expired_units REAL;
        ALTER TABLE optiflow_simulation_series ADD COLUMN real_expired_units REAL;`,
};
