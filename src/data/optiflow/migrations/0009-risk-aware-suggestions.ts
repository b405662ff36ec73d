import type { Migration } from "../migrate.js";

/**
 * Each suggestion with its risk (SPEC §4 "quantities that know their risk"): the ABC/XYZ class
 * and its service level, the brief's margin quantity and the service-level quantity each with
 * its probability of no stock-out, the stock expected at delivery, the observed lead time, and
 * notes on what changed a quantity (shelf life, legacy safety stock, minimum order), and the
 * expected day of the next delivery already on order.
 * `suggested_qty` stays the one the order policy picks.
 */
export const migration0009: Migration = {
  version: 9,
  name: "risk-aware suggestions",
  sql: `ALTER TABLE optiflow_alerts ADD COLUMN abc TEXT;
        ALTER TABLE optiflow_alerts ADD COLUMN xyz TEXT;
        ALTER TABLE optiflow_alerts ADD COLUMN service_level REAL;
        ALTER TABLE optiflow_alerts ADD COLUMN qty_margin REAL;
        ALTER TABLE optiflow_alerts ADD COLUMN prob_margin REAL;
        ALTER TABLE optiflow_alerts ADD COLUMN qty_service REAL;
        ALTER TABLE optiflow_alerts ADD COLUMN prob_service REAL;
        ALTER TABLE optiflow_alerts ADD COLUMN stock_at_delivery REAL;
        ALTER TABLE optiflow_alerts ADD COLUMN lead_time_p50 REAL;
        ALTER TABLE optiflow_alerts ADD COLUMN lead_time_p90 REAL;
        ALTER TABLE optiflow_alerts ADD COLUMN lead_time_delays TEXT;
        ALTER TABLE optiflow_alerts ADD COLUMN quantity_notes TEXT;
        ALTER TABLE optiflow_alerts ADD COLUMN next_delivery TEXT;`,
};
