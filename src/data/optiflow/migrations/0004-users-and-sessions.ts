import type { Migration } from "../migrate.js";

/** Access control (roles lecteur, acheteur, admin): password hashes and session tokens, hashed. */
export const migration0004: Migration = {
  version: 4,
  name: "users and sessions",
  sql: `
    CREATE TABLE optiflow_users (
      login          TEXT PRIMARY KEY,
      role           TEXT NOT NULL CHECK (role IN ('lecteur', 'acheteur', 'admin')),
      password_hash  TEXT NOT NULL,
      created_at     TEXT NOT NULL
    );
    CREATE TABLE optiflow_sessions (
      token_hash     TEXT PRIMARY KEY,
      login          TEXT NOT NULL,
      expires_at     TEXT NOT NULL
    );
  `,
};
