import { type Config, readConfig, withDbPath } from "../config.js";

/** What every command needs from the outside world, passed in so tests can replace it. */
export interface CliContext {
  /** The configuration, with `--db` applied when given. */
  config(dbOption?: string): Config;
  now(): Date;
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const base = readConfig(env);
  return {
    config: (dbOption) => (dbOption ? withDbPath(base, dbOption, env) : base),
    now: () => new Date(),
  };
}
