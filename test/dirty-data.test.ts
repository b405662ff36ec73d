import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBatch } from "../src/batch/run-batch.js";
import { readConfig } from "../src/config.js";
import { legacyChecksums } from "../src/data/legacy/checksum.js";
import { type Db, openDatabaseReadonly } from "../src/data/open.js";
import { readPublication } from "../src/data/optiflow/published-results.js";
import { buildServer } from "../src/server/build-server.js";
import { hasChromium, launchChromium } from "../src/test-support/browser.js";
import { FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { DIRTY_KINDS, dirtyDatabase } from "../src/test-support/dirty-database.js";
import { FIXTURE_BATCH_AT, fixtureNow } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/** A legacy base as dirty as real ones: the batch completes, reports every anomaly, never fixes one. */
const temp = createTempDir("optiflow-dirty-");
let path: string;
let db: Db;
let app: ReturnType<typeof buildServer>;
let base: string;
let checksumsBefore: Record<string, string>;
let batch: Awaited<ReturnType<typeof runBatch>>;
const now = fixtureNow;

interface AlertsAnswer {
  alerts: { suggestedQty: number | null; stockActuel: number; reste: number | null }[];
  dataChecks: {
    kind: string;
    tableName: string;
    count: number;
    description: string;
    samples: unknown[];
  }[];
}

beforeAll(async () => {
  path = dirtyDatabase(temp.path);
  const config = {
    ...readConfig({}),
    dbPath: path,
    backupDir: join(temp.path, "backups"),
    batchLogPath: join(temp.path, "batch.log"),
  };
  const reader = openDatabaseReadonly(path);
  checksumsBefore = legacyChecksums(reader);
  reader.close();
  batch = await runBatch({
    config,
    today: FIXTURE_TODAY,
    trigger: "manual",
    now: () => FIXTURE_BATCH_AT,
  });
  db = openDatabaseReadonly(path);
  app = buildServer({
    db,
    writeDb: () => db,
    config,
    now,
    publication: () => readPublication(db, now(), 24),
    nextBatch: () => null,
  });
  base = await app.listen({ host: "127.0.0.1", port: 0 });
}, 120_000);

afterAll(async () => {
  await app?.close();
  db?.close();
  temp.remove();
});

async function alerts(): Promise<AlertsAnswer> {
  return (await (await fetch(`${base}/api/alerts?limit=100000`)).json()) as AlertsAnswer;
}

describe("a dirty legacy base", () => {
  it("goes through the whole batch and is published", () => {
    expect(batch.published).toBe(true);
    expect(batch.steps.filter((s) => s.status !== "succeeded")).toEqual([]);
  });

  it("has every kind of anomaly listed by step 1, with samples", async () => {
    const { dataChecks } = await alerts();
    const kinds = new Set(dataChecks.map((c) => c.kind));
    for (const kind of DIRTY_KINDS) expect(kinds, kind).toContain(kind);
    for (const check of dataChecks) {
      expect(check.count).toBeGreaterThan(0);
      expect(check.samples.length).toBeGreaterThan(0);
    }
    // Text in a numeric column is found in each table where it was put.
    const invalid = dataChecks.filter((c) => c.kind === "invalid_value").map((c) => c.tableName);
    expect(invalid.sort()).toEqual(["articles", "stocks", "ventes"]);
  });

  it("never turns dirt into NaN or a negative order", async () => {
    const { alerts: rows } = await alerts();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Number.isFinite(row.stockActuel)).toBe(true);
      if (row.suggestedQty !== null) {
        expect(Number.isFinite(row.suggestedQty)).toBe(true);
        expect(row.suggestedQty).toBeGreaterThanOrEqual(0);
      }
      if (row.reste !== null) expect(Number.isFinite(row.reste)).toBe(true);
    }
  });

  it("is reported, never fixed: legacy tables byte-identical after the batch", () => {
    expect(legacyChecksums(db)).toEqual(checksumsBefore);
  });

  it.skipIf(!hasChromium)("shows every anomaly on the Alerts page", async () => {
    const { dataChecks } = await alerts();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: "fr-FR" });
      await page.goto(`${base}/#/alertes`);
      const items = page.getByTestId("data-checks").locator("li");
      await items.first().waitFor();
      expect(await items.count()).toBe(dataChecks.length);
      const text = (await page.getByTestId("data-checks").textContent()) ?? "";
      for (const check of dataChecks) expect(text).toContain(String(check.count));
      expect(text).toContain("stock négatif");
      expect(text).toContain("sans fournisseur");
      // A check whose detail is its kind says it once.
      expect(text).not.toContain("stock négatif — stock négatif");
      // In English, each check says what it found in English, not in the batch's French.
      const english = await browser.newPage({ locale: "en-GB" });
      await english.addInitScript(() => localStorage.setItem("optiflow.language", "en"));
      await english.goto(`${base}/#/alertes`);
      const list = english.getByTestId("data-checks");
      await list.locator("li").first().waitFor();
      const englishText = (await list.textContent()) ?? "";
      expect(englishText).toContain("negative stock");
      expect(englishText).not.toContain("negative stock — negative stock");
      expect(englishText).toContain("active article without a known supplier");
      for (const check of dataChecks) expect(englishText).not.toContain(check.description);
    } finally {
      await browser.close();
    }
  });
});
