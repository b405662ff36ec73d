import type { Migration } from "../migrate.js";

/**
 * What each night promised of its service-level quantities (service-promise.ts): per article
 * and store, the period from the run's day to its target date and q_s, the demand quantile over
 * that period at the class's service level. Checked once the period is over (step 5); kept, like
 * the weekly forecast totals, for the runs the stored precision scores (runs-repository.ts).
 */
export const migration0022: Migration = {
  version: 22,
  name: "service checks",
  sql: `CREATE TABLE optiflow_service_checks (
          run_id INTEGER NOT NULL,
          article_id INTEGER NOT NULL,
          magasin_id INTEGER NOT NULL,
          period_end TEXT NOT NULL,
          abc TEXT NOT NULL CHECK (abc IN ('A', 'B', 'C')),
          service_level REAL NOT NULL,
          demand_quantile REAL NOT NULL,
          PRIMARY KEY (run_id, article_id, magasin_id)
        ) WITHOUT ROWID;`,
};
