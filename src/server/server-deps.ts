import type { Config } from "../config.js";
import type { Db } from "../data/open.js";
import type { Publication } from "../data/optiflow/published-results.js";

/** What the routes need: a read-only connection, the configuration and the clock. */
export interface ServerDeps {
  db: Db;
  config: Config;
  now: () => Date;
  publication: () => Publication | null;
  nextBatch: () => Date | null;
  onError?: (error: unknown) => void;
}
