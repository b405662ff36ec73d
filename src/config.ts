import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** SPEC §9: the environment, read once at start, typed and validated. */
export interface Config {
  dbPath: string;
  cacheDurationHours: number;
  batchTime: { hour: number; minute: number };
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  host: string;
  port: number;
  backupDir: string;
  backupKeep: number;
  batchLogPath: string;
  /** How long the batch waits for another program's write lock (OPTIFLOW_BUSY_TIMEOUT_MS). */
  busyTimeoutMs: number;
  /** Host names the server answers to besides localhost and its address (OPTIFLOW_ALLOWED_HOSTS). */
  allowedHosts: string[];
  /**
   * How long the server lets its scheduled batch run before stopping it
   * (OPTIFLOW_BATCH_TIMEOUT_MINUTES): a night that hangs must not hold the lock every later
   * night needs. The 10,000-article nights take under a minute (bench/RESULTS.md).
   */
  batchTimeoutMinutes: number;
  /**
   * How often the server replays the ordering policy after its nightly batch
   * (OPTIFLOW_REPLAY_EVERY_DAYS, days; 0: never): the Dashboard's measured savings.
   */
  replayEveryDays: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Loads `.env` from the working directory when present; real environment variables win. */
export function loadDotEnv(cwd = process.cwd()): void {
  const path = join(cwd, ".env");
  if (existsSync(path)) process.loadEnvFile(path);
}

export function readConfig(env: Env = process.env): Config {
  const dbPath = resolve(env.OPTIFLOW_DB_PATH || "optiflow.db");
  return {
    dbPath,
    cacheDurationHours: positiveNumber(env, "CACHE_DURATION_HOURS", 24),
    batchTime: parseBatchTime(env.BATCH_TIME ?? "00:30"),
    logLevel: parseLogLevel(env.LOG_LEVEL ?? "info"),
    host: env.OPTIFLOW_HOST || "127.0.0.1",
    port: integerInRange(env, "OPTIFLOW_PORT", 8501, 1, 65535),
    backupDir: resolve(env.OPTIFLOW_BACKUP_DIR || join(dirname(dbPath), "backups")),
    backupKeep: integerInRange(env, "OPTIFLOW_BACKUP_KEEP", 7, 1, 1000),
    batchLogPath: resolve(env.OPTIFLOW_BATCH_LOG || join(dirname(dbPath), "batch_optiflow.log")),
    busyTimeoutMs: integerInRange(env, "OPTIFLOW_BUSY_TIMEOUT_MS", 10_000, 0, 600_000),
    allowedHosts: parseHostList(env.OPTIFLOW_ALLOWED_HOSTS ?? ""),
    batchTimeoutMinutes: integerInRange(env, "OPTIFLOW_BATCH_TIMEOUT_MINUTES", 180, 1, 1440),
    replayEveryDays: integerInRange(env, "OPTIFLOW_REPLAY_EVERY_DAYS", 7, 0, 365),
  };
}

/** Derived paths follow a `--db` given on the command line unless set explicitly. */
export function withDbPath(config: Config, dbPath: string, env: Env = process.env): Config {
  const resolved = resolve(dbPath);
  return {
    ...config,
    dbPath: resolved,
    backupDir: env.OPTIFLOW_BACKUP_DIR ? config.backupDir : join(dirname(resolved), "backups"),
    batchLogPath: env.OPTIFLOW_BATCH_LOG
      ? config.batchLogPath
      : join(dirname(resolved), "batch_optiflow.log"),
  };
}

export function parseBatchTime(value: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  if (!match)
    throw new ConfigError("BATCH_TIME", `"${value}" is not a time HH:MM (00:00 to 23:59)`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function parseHostList(value: string): string[] {
  const names = value
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== "");
  const bad = names.find((n) => !/^[a-z0-9.-]+$/.test(n) && !/^[0-9a-f:]+$/.test(n));
  if (bad !== undefined)
    throw new ConfigError(
      "OPTIFLOW_ALLOWED_HOSTS",
      `"${bad}" is not a host name (a comma-separated list of names, without port)`,
    );
  return names;
}

function parseLogLevel(value: string): Config["logLevel"] {
  const level = value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError("LOG_LEVEL", `"${value}" is not one of ${LOG_LEVELS.join(", ")}`);
  }
  return level as Config["logLevel"];
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(name, `"${raw}" is not a positive number`);
  return value;
}

function integerInRange(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `"${raw}" is not an integer between ${min} and ${max}`);
  }
  return value;
}
