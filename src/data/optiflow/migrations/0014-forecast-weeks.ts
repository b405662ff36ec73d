import type { Migration } from "../migrate.js";

/**
 * What a past run keeps of its forecasts (issue 17: "as-of forecasts retained compactly, what
 * steps 5 and B need, no more"): the total of each calendar week it is scored on, per article
 * and store, and how many days that total covers — one row where seven daily rows were kept.
 * The published run and the run being written keep their daily rows (`optiflow_forecasts`);
 * a run's daily rows become weekly totals once it is neither (runs-repository.ts). Daily rows
 * kept by earlier versions are converted by the next night's pruning.
 */
export const migration0014: Migration = {
  version: 14,
  name: "forecast weeks",
  sql: `CREATE TABLE optiflow_forecast_weeks (
          run_id INTEGER NOT NULL,
          week_start TEXT NOT NULL,
          article_id INTEGER NOT NULL,
          magasin_id INTEGER NOT NULL,
          forecast REAL NOT NULL,
          days INTEGER NOT NULL,
          PRIMARY KEY (run_id, week_start, article_id, magasin_id)
        ) WITHOUT ROWID;`,
};
