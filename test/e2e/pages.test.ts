import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBatch } from "../../src/batch/run-batch.js";
import { readConfig } from "../../src/config.js";
import { type Db, openDatabaseReadonly } from "../../src/data/open.js";
import { openOptiflowDatabase } from "../../src/data/optiflow/open-optiflow.js";
import { readPublication } from "../../src/data/optiflow/published-results.js";
import { buildServer } from "../../src/server/build-server.js";
import { hasChromium, launchChromium } from "../../src/test-support/browser.js";
import { demoDatabase, FIXTURE_TODAY } from "../../src/test-support/demo-fixture.js";
import { FIXTURE_BATCH_AT, fixtureNow } from "../../src/test-support/published-fixture.js";
import { createTempDir } from "../../src/test-support/temp-dir.js";

/**
 * The pages in a real browser (Debian's chromium driven by playwright-core), on a demo database
 * after a real batch: what a store manager sees and clicks. Skipped where chromium is absent;
 * .ci/run installs it.
 */
const SCREENSHOTS = process.env.OPTIFLOW_SCREENSHOTS
  ? new URL("../../docs/screenshots/", import.meta.url).pathname
  : null;
const temp = createTempDir("optiflow-e2e-");
let db: Db;
let writer: Db;
let app: ReturnType<typeof buildServer>;
let browser: Browser;
let base: string;
const now = fixtureNow;

beforeAll(async () => {
  if (!hasChromium) return;
  const path = demoDatabase(temp.path, "e2e.db", 36);
  const config = {
    ...readConfig({}),
    dbPath: path,
    backupDir: join(temp.path, "backups"),
    batchLogPath: join(temp.path, "batch.log"),
  };
  await runBatch({ config, today: FIXTURE_TODAY, trigger: "manual", now: () => FIXTURE_BATCH_AT });
  db = openDatabaseReadonly(path);
  writer = openOptiflowDatabase(path);
  app = buildServer({
    db,
    writeDb: () => writer,
    config,
    now,
    publication: () => readPublication(db, now(), 24),
    nextBatch: () => null,
  });
  base = await app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  db?.close();
  writer?.close();
  temp.remove();
});

async function open(path: string): Promise<Page> {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: "fr-FR",
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  return page;
}

async function api<T>(path: string): Promise<T> {
  return (await (await fetch(`${base}${path}`)).json()) as T;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

describe.skipIf(!hasChromium)("pages in a real browser", () => {
  it("opens on the Alerts page, critical first, with the API's counts and the computed-at time", async () => {
    const page = await open("/");
    await page.getByTestId("count-CRITIQUE").waitFor();
    const expected = await api<{ counts: Record<string, number> }>("/api/alerts");
    for (const level of ["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"]) {
      expect(await page.getByTestId(`count-${level}`).innerText()).toContain(
        String(expected.counts[level]),
      );
    }
    expect(await page.getByTestId("computed-at").innerText()).toMatch(
      /^Calculé le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/,
    );
    const firstTable = page.locator("table.alerts").first();
    expect(await firstTable.getAttribute("data-testid")).toBe(
      expected.counts.CRITIQUE! > 0 ? "table-CRITIQUE" : "table-ATTENTION",
    );
    expect(await page.getByTestId("ml-performance").innerText()).toMatch(/Précision .*backtest/s);
    await screenshot(page, "alertes");
    await page.context().close();
  });

  it("computes the SPEC §4 quantity for a chosen target date and margin, and exports it in the order CSV", async () => {
    const { alerts } = await api<{
      alerts: {
        articleId: number;
        storeId: number;
        reference: string;
        storeCode: string;
        level: string;
      }[];
    }>("/api/alerts");
    const target = alerts.find((a) => a.level === "CRITIQUE") ?? alerts[0]!;
    const page = await open("/");
    await page.getByTestId(`open-${target.reference}-${target.storeCode}`).click();
    await page.getByTestId("calc-date").fill("2026-12-10");
    await page.getByTestId("calc-margin").fill("25");
    const expected = await api<{ results: { quantity: number; formula: string }[] }>(
      `/api/alerts/calc?article=${target.articleId}&store=${target.storeId}&date=2026-12-10&margin=25`,
    );
    await expect
      .poll(async () => page.getByTestId("calc-formula").innerText(), { timeout: 10_000 })
      .toContain("(1 + 25/100)");
    expect(await page.getByTestId("calc-formula").innerText()).toBe(expected.results[0]!.formula);
    const shown = Number(
      (await page.getByTestId("calc-quantity").innerText()).replace(/\s/g, "").replace(",", "."),
    );
    expect(shown).toBe(expected.results[0]!.quantity);
    await screenshot(page, "calculateur");
    if (expected.results[0]!.quantity > 0) {
      await page.getByTestId("add-to-order").click();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByTestId("export-csv").click(),
      ]);
      const csv = readFileSync(await download.path(), "utf8")
        .trim()
        .split("\n");
      expect(csv[0]).toBe("supplier,store,article,name,quantity,unit_price,amount");
      expect(csv[1]).toContain(`,${target.storeCode},${target.reference},`);
      expect(csv[1]?.split(",")).toContain(String(expected.results[0]!.quantity));
    }
    await page.context().close();
  });

  it("declares an event that is then listed", async () => {
    const page = await open("/");
    const form = page.getByTestId("event-form");
    await form.locator("input[name=name]").fill("Braderie de Noël");
    await form.locator("input[name=start]").fill("2026-12-12");
    await form.locator("input[name=end]").fill("2026-12-13");
    await form.locator("input[name=impact]").fill("40");
    await form.locator("button[type=submit]").click();
    await page.getByTestId("declared-events").getByText("Braderie de Noël").waitFor();
    const { events } = await api<{ events: { id: number; name: string; impactPct: number }[] }>(
      "/api/events",
    );
    const created = events.find((e) => e.name === "Braderie de Noël");
    expect(created?.impactPct).toBe(40);
    // Correct it: the form takes the event, the list shows the new impact.
    await page.getByRole("button", { name: "Modifier Braderie de Noël" }).click();
    expect(await form.locator("input[name=impact]").inputValue()).toBe("40");
    await form.locator("input[name=impact]").fill("25");
    await form.locator("button[type=submit]").click();
    await page.getByText("Événement modifié").waitFor();
    await page.getByTestId(`event-${created!.id}`).getByText("+25 %").waitFor();
    const corrected = await api<{ events: { id: number; impactPct: number }[] }>("/api/events");
    expect(corrected.events.find((e) => e.id === created!.id)?.impactPct).toBe(25);
    // Withdraw it, in two clicks.
    await page.getByRole("button", { name: "Supprimer Braderie de Noël" }).click();
    await page.getByRole("button", { name: "Confirmer la suppression" }).click();
    await page.getByText("Événement supprimé").waitFor();
    const after = await api<{ events: { id: number }[] }>("/api/events");
    expect(after.events.some((e) => e.id === created!.id)).toBe(false);
    await page.context().close();
  });

  it("gives feedback on a past day, keeps the confirmation, lists it pending, and withdraws it", async () => {
    const page = await open("/#/predictions");
    const select = page.getByTestId("prediction-select");
    await select.waitFor();
    const value = await select.locator("option").nth(1).getAttribute("value");
    await select.selectOption(value!);
    const form = page.getByTestId("feedback-form");
    await form.locator("select[name=direction]").selectOption("TROP_BAS");
    await form.locator("select[name=reason]").selectOption("PROMOTION_NON_SAISIE");
    await form.locator("button[type=submit]").click();
    await page.getByText("Merci : ce jour sera exclu").waitFor();
    const list = page.getByTestId("feedback-list");
    await list.getByText("en attente").waitFor();
    expect(await list.innerText()).toContain("Trop basse");
    // The form kept its choices: a second save would not record the defaults.
    expect(await form.locator("select[name=direction]").inputValue()).toBe("TROP_BAS");
    const [article, store] = value!.split(":").map(Number);
    const { feedback } = await api<{
      feedback: { id: number; articleId: number; storeId: number; reason: string }[];
    }>("/api/feedback");
    const mine = feedback.filter((f) => f.articleId === article && f.storeId === store);
    expect(mine.map((f) => f.reason)).toEqual(["PROMOTION_NON_SAISIE"]);
    await list.getByRole("button").first().click();
    await page.getByText("Retour annulé").waitFor();
    const after = await api<{ feedback: { id: number }[] }>("/api/feedback");
    expect(after.feedback.some((f) => f.id === mine[0]!.id)).toBe(false);
    await page.context().close();
  });

  it("shows the dashboard figures of the API, and switches language", async () => {
    const page = await open("/#/dashboard");
    await page.getByTestId("kpi-critical").waitFor();
    const dashboard = await api<{ health: { alerts: { CRITIQUE: number } } }>("/api/dashboard");
    expect(await page.getByTestId("kpi-critical").innerText()).toBe(
      String(dashboard.health.alerts.CRITIQUE),
    );
    await screenshot(page, "dashboard");
    await page.getByTestId("language-select").selectOption("en");
    await expect.poll(() => page.getByTestId("nav-dashboard").innerText()).toBe("Dashboard");
    expect(await page.getByTestId("nav-alertes").innerText()).toBe("Alerts");
    expect(await page.getByTestId("computed-at").innerText()).toMatch(/^Computed on/);
    await page.context().close();
  });

  it("shows an article's future forecasts with the API's values", async () => {
    const page = await open("/#/predictions");
    const select = page.getByTestId("prediction-select");
    await select.waitFor();
    const value = await select.locator("option").nth(1).getAttribute("value");
    await select.selectOption(value!);
    const [article, store] = value!.split(":");
    const expected = await api<{ forecasts: { date: string }[] }>(
      `/api/predictions?article=${article}&store=${store}`,
    );
    await page
      .getByTestId("forecast-table")
      .locator("tbody tr")
      .first()
      .waitFor({ state: "attached" });
    expect(await page.getByTestId("forecast-table").locator("tbody tr").count()).toBe(
      expected.forecasts.length,
    );
    await screenshot(page, "predictions");
    await page.context().close();
  });
});
