import { type Db, openDatabase } from "../open.js";
import { migrate } from "./migrate.js";

/** Opens the retailer's database for Optiflow's writes, with its own tables up to date. */
export function openOptiflowDatabase(
  path: string,
  now: () => Date = () => new Date(),
  busyTimeoutMs?: number,
): Db {
  const db = openDatabase(path, busyTimeoutMs);
  try {
    migrate(db, now);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
