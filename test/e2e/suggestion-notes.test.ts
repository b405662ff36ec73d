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
 * What the Alerts page and the article sheet say beside a suggested quantity, besides the shelf
 * life (shelf-life-note.test.ts). A critical row with nothing to order: its shelf runs out before
 * any delivery could come, and the order already on its way covers the suggestions' target date,
 * where a bare "–" read as a suggestion forgotten. A row whose suggestion leaves the stock under
 * the shop's own safety stock, which the brief's formula does not lift it to.
 */
const BIN = new URL("../../bin/optiflow.js", import.meta.url).pathname;
let f: PagesFixture;
let row: AlertView;

beforeAll(async () => {
  if (!hasChromium) return;
  f = await startPages("suggestion-notes", 36);
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

describe.skipIf(!hasChromium)("a suggestion that leaves the stock under the safety stock", () => {
  it("says so beside the quantity of a row marked OK, and on its sheet", async () => {
    const alerts = await f.api<AlertsResponse>("/api/alerts?level=OK&limit=500");
    expect(alerts.orderPolicy).toBe("marge");
    const below = (a: AlertView) =>
      a.quantityNotes.some((n) => n.code === "below_safety_stock" && n.quantity === "margin");
    const ok = alerts.alerts.find((a) => below(a) && !a.suggestedQty && a.safetyStock !== null);
    expect(
      ok,
      "an OK row with nothing to order, under its safety stock by its target date",
    ).toBeDefined();
    const note = `sous le stock de sécurité (${ok!.safetyStock!.toLocaleString("fr-FR")}) d'ici le ${frenchDay(ok!.targetDate!)}`;
    const page = await f.open(`/#/alertes?search=${ok!.reference}&level=OK`);
    const cell = page.getByTestId(`row-${ok!.reference}-${ok!.storeCode}`).getByTestId("suggested");
    await cell.waitFor();
    expect(await cell.innerText()).toBe(`–\n${note}`);
    await expectAccessible(page, "alerts, an OK row under its safety stock");

    const sheet = await f.open(`/#/article/${ok!.articleId}/${ok!.storeId}`);
    await sheet.getByTestId("sheet-suggested").waitFor();
    const facts = await sheet.getByTestId("sheet-suggested").innerText();
    expect(facts).toMatch(/^0 \S+ \(/);
    expect(facts).toContain(`(${note}) · Commander avant le `);
    await expectAccessible(sheet, "article sheet, a suggestion under the safety stock");
  });
});
