import type { Config } from "../config.js";
import type { Db } from "../data/open.js";
import type { Publication } from "../data/optiflow/published-results.js";
import type { PublishedAlerts } from "./published-alerts.js";
import type { PublishedResponseCache } from "./published-cache.js";

/** What the routes need: a read-only connection, the configuration and the clock. */
export interface ServerDeps {
  /** Read-only connection: every page read goes through it (a forecast download opens its own). */
  db: Db;
  /** Optiflow's write connection (legacy tables guarded), opened on first use. */
  writeDb: () => Db;
  config: Config;
  now: () => Date;
  publication: () => Publication | null;
  nextBatch: () => Date | null;
  onError?: (error: unknown) => void;
  /** Set by buildServer: serialized answers per published run. */
  cache?: PublishedResponseCache;
  /** Set by buildServer: the published run's alerts, read once. */
  alerts?: PublishedAlerts;
}
