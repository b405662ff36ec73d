import type { Migration } from "../migrate.js";

/**
 * The batch's tables. Every result row carries the run that computed it; pages read only the
 * run named in optiflow_publication, so switching that one row publishes a run atomically.
 */
export const migration0002: Migration = {
  version: 2,
  name: "batch runs and results",
  sql: `
    CREATE TABLE optiflow_runs (
      id            INTEGER PRIMARY KEY,
      today         TEXT NOT NULL,
      trigger       TEXT NOT NULL,
      status        TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned')),
      started_at    TEXT NOT NULL,
      finished_at   TEXT,
      published_at  TEXT,
      pid           INTEGER NOT NULL,
      error         TEXT
    );
    CREATE TABLE optiflow_run_steps (
      run_id        INTEGER NOT NULL,
      step          TEXT NOT NULL,
      name          TEXT NOT NULL,
      position      INTEGER NOT NULL,
      status        TEXT NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
      started_at    TEXT,
      duration_ms   REAL,
      counts        TEXT,
      error         TEXT,
      PRIMARY KEY (run_id, step)
    );
    CREATE TABLE optiflow_batch_lock (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      run_id        INTEGER NOT NULL,
      pid           INTEGER NOT NULL,
      started_at    TEXT NOT NULL
    );
    CREATE TABLE optiflow_publication (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      run_id        INTEGER NOT NULL,
      published_at  TEXT NOT NULL
    );
    CREATE TABLE optiflow_series (
      run_id        INTEGER NOT NULL,
      article_id    INTEGER NOT NULL,
      magasin_id    INTEGER NOT NULL,
      model         TEXT NOT NULL,
      demand_class  TEXT NOT NULL,
      backtest_wape REAL,
      backtest_error REAL NOT NULL,
      backtest_actual REAL NOT NULL,
      backtest_ape_sum REAL NOT NULL,
      backtest_ape_weeks INTEGER NOT NULL,
      phi           REAL NOT NULL,
      scores        TEXT NOT NULL,
      PRIMARY KEY (run_id, article_id, magasin_id)
    );
    CREATE TABLE optiflow_forecasts (
      run_id        INTEGER NOT NULL,
      article_id    INTEGER NOT NULL,
      magasin_id    INTEGER NOT NULL,
      date          TEXT NOT NULL,
      forecast      REAL NOT NULL,
      p10           REAL NOT NULL,
      p50           REAL NOT NULL,
      p90           REAL NOT NULL,
      PRIMARY KEY (run_id, article_id, magasin_id, date)
    ) WITHOUT ROWID;
    CREATE INDEX optiflow_forecasts_date ON optiflow_forecasts(article_id, magasin_id, date);
    CREATE TABLE optiflow_alerts (
      run_id            INTEGER NOT NULL,
      article_id        INTEGER NOT NULL,
      magasin_id        INTEGER NOT NULL,
      level             TEXT NOT NULL CHECK (level IN ('CRITIQUE', 'ATTENTION', 'OK', 'SANS_PREVISION')),
      on_hand           REAL NOT NULL,
      on_order          REAL NOT NULL,
      stock_actuel      REAL NOT NULL,
      stock_at_target   REAL,
      lead_time         INTEGER NOT NULL,
      ventes_prevues_delai REAL,
      reste             REAL,
      ventes_3j         REAL,
      target_date       TEXT,
      margin_pct        REAL NOT NULL,
      forecast_to_target REAL,
      suggested_qty     REAL,
      order_by          TEXT,
      days_of_cover     INTEGER,
      coverage          TEXT,
      value_at_risk     REAL,
      PRIMARY KEY (run_id, article_id, magasin_id)
    );
    CREATE TABLE optiflow_kpis (
      run_id        INTEGER NOT NULL,
      key           TEXT NOT NULL,
      value         TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    );
    CREATE TABLE optiflow_data_checks (
      run_id        INTEGER NOT NULL,
      kind          TEXT NOT NULL,
      table_name    TEXT NOT NULL,
      count         INTEGER NOT NULL,
      description   TEXT NOT NULL,
      samples       TEXT NOT NULL,
      PRIMARY KEY (run_id, kind, table_name)
    );
    CREATE TABLE optiflow_events (
      id            INTEGER PRIMARY KEY,
      name          TEXT NOT NULL,
      type          TEXT NOT NULL,
      date_debut    TEXT NOT NULL,
      date_fin      TEXT NOT NULL,
      magasin_id    INTEGER,
      categorie_id  INTEGER,
      article_id    INTEGER,
      impact_pct    REAL,
      created_at    TEXT NOT NULL,
      created_by    TEXT NOT NULL
    );
    CREATE TABLE optiflow_feedback (
      id            INTEGER PRIMARY KEY,
      article_id    INTEGER NOT NULL,
      magasin_id    INTEGER NOT NULL,
      date          TEXT NOT NULL,
      direction     TEXT NOT NULL CHECK (direction IN ('TROP_HAUT', 'TROP_BAS')),
      reason        TEXT NOT NULL CHECK (reason IN ('PROMOTION_NON_SAISIE', 'RUPTURE', 'EVENEMENT_EXCEPTIONNEL', 'ERREUR_DONNEES')),
      comment       TEXT,
      created_at    TEXT NOT NULL,
      created_by    TEXT NOT NULL,
      applied_run_id INTEGER
    );
    CREATE TABLE optiflow_event_effects (
      run_id        INTEGER NOT NULL,
      event_type    TEXT NOT NULL,
      categorie_id  INTEGER NOT NULL,
      effect_pct    REAL NOT NULL,
      series        INTEGER NOT NULL,
      PRIMARY KEY (run_id, event_type, categorie_id)
    );
  `,
};
