import type { Migration } from "../migrate.js";

/**
 * The first day the shelf is empty, in days from the batch's today, each open order counted on
 * the day it is expected (stockout-day.ts): what the Alerts page's "Rupture le" says. Until now
 * it read `days_of_cover`, the on-hand stock alone, which the Dashboard's coverage keeps. Runs
 * before this column get the on-hand figure they showed, so their pages read as they did; null
 * otherwise means beyond the forecast's horizon.
 */
export const migration0018: Migration = {
  version: 18,
  name: "alert stock-out day",
  sql: `ALTER TABLE optiflow_alerts ADD COLUMN days_to_stockout INTEGER;
UPDATE optiflow_alerts SET days_to_stockout = days_of_cover;`,
};
