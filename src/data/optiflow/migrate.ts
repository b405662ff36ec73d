import type { Db } from "../open.js";
import { migration0001 } from "./migrations/0001-settings-and-audit.js";
import { migration0002 } from "./migrations/0002-batch-runs-and-results.js";
import { migration0003 } from "./migrations/0003-draft-order-lines.js";
import { migration0004 } from "./migrations/0004-users-and-sessions.js";
import { migration0005 } from "./migrations/0005-drop-unused-forecast-index.js";
import { migration0006 } from "./migrations/0006-series-calibration.js";
import { migration0007 } from "./migrations/0007-batch-lock-process-start.js";
import { migration0008 } from "./migrations/0008-series-held-out-score.js";
import { migration0009 } from "./migrations/0009-risk-aware-suggestions.js";
import { migration0010 } from "./migrations/0010-policy-simulations.js";
import { migration0011 } from "./migrations/0011-history-cache.js";
import { migration0012 } from "./migrations/0012-model-choices.js";
import { migration0013 } from "./migrations/0013-history-cache-narrow-days.js";
import { migration0014 } from "./migrations/0014-forecast-weeks.js";
import { migration0015 } from "./migrations/0015-history-cache-blocks.js";
import { migration0016 } from "./migrations/0016-series-quiet-days.js";
import { migration0017 } from "./migrations/0017-series-quiet-factor.js";
import { migration0018 } from "./migrations/0018-alert-stockout-day.js";
import { migration0019 } from "./migrations/0019-data-check-stores.js";
import { migration0020 } from "./migrations/0020-series-period-level.js";
import { migration0021 } from "./migrations/0021-series-period-floor.js";
import { migration0022 } from "./migrations/0022-service-checks.js";
import { migration0023 } from "./migrations/0023-simulation-expired-units.js";
import { migration0024 } from "./migrations/0024-alert-next-delivery-quantity.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. Append only: an applied migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
  migration0019,
  migration0020,
  migration0021,
  migration0022,
  migration0023,
  migration0024,
];

export class ForeignObjectMigrationError extends Error {
  constructor(migration: Migration, object: string) {
    super(
      `migration ${migration.version} touches "${object}": Optiflow only creates optiflow_* objects`,
    );
    this.name = "ForeignObjectMigrationError";
  }
}

const DDL_TARGET =
  /\b(?:CREATE|ALTER|DROP)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?["`]?(\w+)|\bON\s+["`]?(\w+)\s*\(/gi;

/** SPEC §2.1: a migration may only create or change objects named optiflow_*. */
export function assertOnlyOptiflowObjects(migration: Migration): void {
  for (const match of migration.sql.matchAll(DDL_TARGET)) {
    const name = match[1] ?? match[2] ?? "";
    if (!name.startsWith("optiflow_")) throw new ForeignObjectMigrationError(migration, name);
  }
}

/**
 * Applies pending migrations, each in its own transaction, recorded in optiflow_migrations.
 * `migrations`: a base's own subset, to rebuild the shape an older version left (schema-check.ts).
 */
export function migrate(
  db: Db,
  now: () => Date = () => new Date(),
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS optiflow_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
  )`);
  const applied = new Set(
    (db.prepare("SELECT version FROM optiflow_migrations").all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  assertNotNewer(db);
  const record = db.prepare(
    "INSERT INTO optiflow_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    assertOnlyOptiflowObjects(migration);
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now().toISOString());
    })();
    done.push(migration.version);
  }
  return done;
}

export function appliedMigrations(db: Db): { version: number; name: string; appliedAt: string }[] {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'optiflow_migrations'")
    .get();
  if (!exists) return [];
  return db
    .prepare(
      "SELECT version, name, applied_at AS appliedAt FROM optiflow_migrations ORDER BY version",
    )
    .all() as { version: number; name: string; appliedAt: string }[];
}

/**
 * Migrations a base has that this version does not know: a newer Optiflow wrote it (this one
 * was reinstalled after an upgrade, or runs beside it). Their columns are unknown here, so this
 * version would write rows the newer one misreads, and read tables it cannot check.
 */
export function newerMigrations(db: Db): { version: number; name: string }[] {
  const known = new Set(MIGRATIONS.map((m) => m.version));
  return appliedMigrations(db)
    .filter((m) => !known.has(m.version))
    .map(({ version, name }) => ({ version, name }));
}

export class NewerOptiflowError extends Error {
  constructor(readonly newer: readonly { version: number; name: string }[]) {
    const last = MIGRATIONS.at(-1)?.version ?? 0;
    super(
      `Optiflow's tables were written by a newer version of Optiflow (${newer.map((m) => `migration ${m.version}, ${m.name}`).join("; ")}); this version knows migrations up to ${last} and leaves the base untouched. Run the newer version, or to go back to this one restore a backup taken before the upgrade ("optiflow db restore-optiflow --from <backup file>"); see docs/RELIABILITY.md`,
    );
    this.name = "NewerOptiflowError";
  }
}

export function assertNotNewer(db: Db): void {
  const newer = newerMigrations(db);
  if (newer.length > 0) throw new NewerOptiflowError(newer);
}

/** This version's migrations a base has not had yet: an older version of Optiflow wrote it. */
export function pendingMigrations(db: Db): Migration[] {
  const applied = new Set(appliedMigrations(db).map((m) => m.version));
  return applied.size === 0 ? [] : MIGRATIONS.filter((m) => !applied.has(m.version));
}
