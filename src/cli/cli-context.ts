import { type Config, ConfigError, readConfig, withDbPath } from "../config.js";

/** What every command needs from the outside world, passed in so tests can replace it. */
export interface CliContext {
  /** The configuration, with `--db` applied when given. */
  config(dbOption?: string): Config;
  now(): Date;
}

/**
 * OPTIFLOW_NOW (an ISO timestamp) fixes the CLI's clock: tests and replays of a past morning see
 * the same "computed on" and "stale" whatever day they run.
 */
export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const base = readConfig(env);
  const fixed = env.OPTIFLOW_NOW ? new Date(env.OPTIFLOW_NOW) : null;
  if (fixed && Number.isNaN(fixed.getTime()))
    throw new ConfigError("OPTIFLOW_NOW", `"${env.OPTIFLOW_NOW}" is not an ISO timestamp`);
  return {
    config: (dbOption) => (dbOption ? withDbPath(base, dbOption, env) : base),
    now: () => fixed ?? new Date(),
  };
}
