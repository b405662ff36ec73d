import type { SimulationExportRow } from "../data/optiflow/simulations-repository.js";
import { frenchCsv } from "./french-csv.js";

/** The columns of an exported simulation: one row per policy, article and store. */
export const SIMULATION_CSV_COLUMNS = [
  "policy",
  "article",
  "name",
  "store",
  "optiflow_stock_out_days",
  "optiflow_lost_units",
  "optiflow_lost_revenue",
  "optiflow_average_stock_value",
  "optiflow_end_stock_value",
  "optiflow_order_lines",
  "actual_stock_out_days",
  "actual_lost_units",
  "actual_lost_revenue",
  "actual_average_stock_value",
  "actual_end_stock_value",
  "actual_order_lines",
  "estimated_demand_days",
  "savings",
  // Added after the others so that a script reading columns by position keeps working.
  "optiflow_expired_units",
  "actual_expired_units",
] as const;

export function simulationCsv(rows: readonly SimulationExportRow[]): string {
  return frenchCsv(
    SIMULATION_CSV_COLUMNS,
    rows.map((r) => [
      r.policy,
      r.reference,
      r.name,
      r.storeCode,
      r.simStockOutDays,
      r.simLostUnits,
      r.simLostRevenue,
      r.simAverageStockValue,
      r.simEndStockValue,
      r.simOrderLines,
      r.realStockOutDays,
      r.realLostUnits,
      r.realLostRevenue,
      r.realAverageStockValue,
      r.realEndStockValue,
      r.realOrderLines,
      r.estimatedDays,
      r.savings,
      r.simExpiredUnits,
      r.realExpiredUnits,
    ]),
  );
}
