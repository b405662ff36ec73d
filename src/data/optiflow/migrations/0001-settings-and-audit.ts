import type { Migration } from "../migrate.js";

export const migration0001: Migration = {
  version: 1,
  name: "settings and audit",
  sql: `
    CREATE TABLE optiflow_settings (
      key         TEXT PRIMARY KEY,
      value       TEXT NOT NULL,
      updated_at  TEXT NOT NULL,
      updated_by  TEXT NOT NULL
    );
    CREATE TABLE optiflow_audit (
      id          INTEGER PRIMARY KEY,
      at          TEXT NOT NULL,
      actor       TEXT NOT NULL,
      action      TEXT NOT NULL,
      details     TEXT
    );
    CREATE INDEX optiflow_audit_at ON optiflow_audit(at);
  `,
};
