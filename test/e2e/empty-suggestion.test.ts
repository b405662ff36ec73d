/// <reference lib="dom" />
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium } from "../../src/test-support/browser.js";
import { FIXTURE_TODAY } from "../../src/test-support/demo-fixture.js";
import { emptyShelfWithOrderOnItsWay } from "../../src/test-support/order-on-its-way.js";
import type { AlertsResponse, AlertView } from "../../web/src/api/client.js";
import {
  DESKTOP,
  expectAccessible,
  expectNoSidewaysScroll,
  frenchDay,
  type PagesFixture,
  PHONE,
  startPages,
} from "./browser-fixture.js";

/**
 * A critical row with nothing to order: its shelf runs out before any delivery could come, and
 * the order already on its way covers the suggestions' target date. The Alerts page and the
 * article sheet say so beside the quantity, where a bare "–" read as a suggestion forgotten.
 */
const BIN = new URL("../../bin/optiflow.js", import.meta.url).pathname;
let f: PagesFixture;
let row: AlertView;

beforeAll(async () => {
  if (!hasChromium) return;
  f = await startPages("empty-suggestion", 36);
  const before = await f.api<AlertsResponse>("/api/alerts?level=CRITIQUE&limit=500");
  const chosen = before.alerts.find((a) => a.shelfLifeDays === null && (a.suggestedQty ?? 0) > 0);
  expect(chosen, "a critical article that keeps, with a quantity").toBeDefined();
  emptyShelfWithOrderOnItsWay(f.dbPath, chosen!.articleId, chosen!.storeId, FIXTURE_TODAY);
  const batch = spawnSync(
    process.execPath,
    [BIN, "ml", "batch", "--today", FIXTURE_TODAY, "--db", f.dbPath],
    { encoding: "utf8", env: { ...process.env, OPTIFLOW_NOW: `${FIXTURE_TODAY}T06:00:00.000Z` } },
  );
  expect(batch.status, batch.stderr).toBe(0);
  const after = await f.api<AlertsResponse>("/api/alerts?level=CRITIQUE&limit=500");
  row = after.alerts.find(
    (a) => a.articleId === chosen!.articleId && a.storeId === chosen!.storeId,
  )!;
}, 180_000);
afterAll(async () => {
  await f?.close();
});

async function suggestedCell(language: "fr" | "en", width = DESKTOP) {
  const page = await f.open(`/#/alertes?search=${row.reference}`, { language, width });
  const cell = page.getByTestId(`row-${row.reference}-${row.storeCode}`).getByTestId("suggested");
  await cell.waitFor();
  return { page, text: await cell.innerText() };
}

describe.skipIf(!hasChromium)("a critical row the order on its way covers", () => {
  it("says so beside its quantity, on the Alerts page and the article sheet", async () => {
    expect(row.level).toBe("CRITIQUE");
    expect(row.suggestedQty).toBe(0);
    expect(row.onOrder).toBeGreaterThan(0);
    const target = row.targetDate as string;
    const french = await suggestedCell("fr");
    expect(french.text).toBe(
      `–\naucune : ventes prévues couvertes jusqu'au ${frenchDay(target)}, commande en cours comprise`,
    );
    await expectAccessible(french.page, "alerts, a critical row the order on its way covers");
    const english = await suggestedCell("en");
    expect(english.text).toMatch(
      /^–\nnone: forecast sales covered up to \d+ \w+ \d{4}, the order on its way included$/,
    );
    const phone = await suggestedCell("fr", PHONE);
    expect(phone.text).toBe(french.text);
    await expectNoSidewaysScroll(phone.page, "alerts on a phone, a row the order covers");

    const sheet = await f.open(`/#/article/${row.articleId}/${row.storeId}`);
    await sheet.getByTestId("sheet-suggested").waitFor();
    expect(await sheet.getByTestId("sheet-suggested").innerText()).toMatch(
      new RegExp(
        `^0 \\S+ \\(aucune : ventes prévues couvertes jusqu'au ${frenchDay(target)}, commande en cours comprise\\) · Commander avant le `,
      ),
    );
    await expectAccessible(sheet, "article sheet, a critical row the order on its way covers");
  });

  it("leaves the rows with a quantity as they were", async () => {
    const alerts = await f.api<AlertsResponse>("/api/alerts?level=CRITIQUE&limit=500");
    const other = alerts.alerts.find((a) => (a.suggestedQty ?? 0) > 0 && a.shelfLifeDays === null);
    expect(other, "a critical row with a quantity").toBeDefined();
    const page = await f.open(`/#/alertes?search=${other!.reference}`);
    const cell = page
      .getByTestId(`row-${other!.reference}-${other!.storeCode}`)
      .getByTestId("suggested");
    await cell.waitFor();
    expect(await cell.innerText()).toBe(other!.suggestedQty!.toLocaleString("fr-FR"));
  });
});
