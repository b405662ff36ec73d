import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { generateDemoDatabase } from "../demo/generate-demo.js";

export const FIXTURE_TODAY = "2026-11-25";

/**
 * A small demo database (90 articles: ten per category, 2 stores, 3 years), generated once per
 * folder and copied for each test that writes, so tests stay independent and fast.
 */
export function demoDatabase(dir: string, name = "demo.db", articles = 90): string {
  const master = join(dir, `master-${articles}.db`);
  if (!existsSync(master)) {
    generateDemoDatabase(master, { articles, stores: 2, years: 3, seed: 7, today: FIXTURE_TODAY });
  }
  const path = join(dir, name);
  if (!existsSync(path)) copyFileSync(master, path);
  return path;
}
