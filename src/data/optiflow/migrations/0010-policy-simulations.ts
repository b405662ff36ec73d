import type { Migration } from "../migrate.js";

/**
 * Replays of the ordering policy over past weeks (issue 15, `optiflow simulate`): one row per
 * run with its period, settings and summary (what the Dashboard shows), and the figures of each
 * article × store per policy (the CSV export, the worst ten).
 */
export const migration0010: Migration = {
  version: 10,
  name: "policy simulations",
  sql: `CREATE TABLE optiflow_simulations (
          id INTEGER PRIMARY KEY,
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          date_from TEXT NOT NULL,
          date_to TEXT NOT NULL,
          weeks INTEGER NOT NULL,
          magasin_id INTEGER,
          margin_pct REAL NOT NULL,
          carrying_cost_rate REAL NOT NULL,
          policies TEXT NOT NULL,
          summary TEXT NOT NULL,
          seconds REAL NOT NULL
        );
        CREATE TABLE optiflow_simulation_series (
          simulation_id INTEGER NOT NULL REFERENCES optiflow_simulations(id) ON DELETE CASCADE,
          policy TEXT NOT NULL,
          article_id INTEGER NOT NULL,
          magasin_id INTEGER NOT NULL,
          sim_stock_out_days INTEGER NOT NULL,
          sim_lost_units REAL NOT NULL,
          sim_lost_revenue REAL NOT NULL,
          sim_average_stock_value REAL NOT NULL,
          sim_end_stock_value REAL NOT NULL,
          sim_order_lines INTEGER NOT NULL,
          real_stock_out_days INTEGER NOT NULL,
          real_lost_units REAL NOT NULL,
          real_lost_revenue REAL NOT NULL,
          real_average_stock_value REAL NOT NULL,
          real_end_stock_value REAL NOT NULL,
          real_order_lines INTEGER NOT NULL,
          estimated_days INTEGER NOT NULL,
          savings REAL NOT NULL,
          PRIMARY KEY (simulation_id, policy, article_id, magasin_id)
        ) WITHOUT ROWID;`,
};
