import type { Migration } from "../migrate.js";

/**
 * What a series' forecast level is known to over a period of days (level-uncertainty.ts): the
 * factor of its mean demand over the served forecast, and the variance of its level, which the
 * days of a protection period share. Q_s and the probability of no stock-out read them. Runs
 * before these columns read as days independent around the served forecast (1 and 0).
 */
export const migration0020: Migration = {
  version: 20,
  name: "series period level",
  sql: `ALTER TABLE optiflow_series ADD COLUMN period_factor REAL NOT NULL DEFAULT 1;
        ALTER TABLE optiflow_series ADD COLUMN period_variance REAL NOT NULL DEFAULT 0;`,
};
