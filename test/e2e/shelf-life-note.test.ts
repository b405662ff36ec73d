/// <reference lib="dom" />
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium } from "../../src/test-support/browser.js";
import { FIXTURE_TODAY } from "../../src/test-support/demo-fixture.js";
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
 * A row with no order because the smallest order the supplier takes would expire first: the
 * Alerts page says so in the quantity's cell, for the quantity the published suggestions follow.
 */
const BIN = new URL("../../bin/optiflow.js", import.meta.url).pathname;
let f: PagesFixture;

beforeAll(async () => {
  if (hasChromium) f = await startPages("shelf-life", 36);
}, 180_000);
afterAll(async () => {
  await f?.close();
});

function optiflow(...args: string[]): void {
  const run = spawnSync(process.execPath, [BIN, ...args, "--db", f.dbPath], {
    encoding: "utf8",
    env: { ...process.env, OPTIFLOW_NOW: `${FIXTURE_TODAY}T06:00:00.000Z` },
  });
  expect(run.status, run.stderr).toBe(0);
}

const blockedFor = (a: AlertView, quantity: "margin" | "service") =>
  a.quantityNotes.some((n) => n.code === "shelf_life_blocks_order" && n.quantity === quantity);

async function suggestedCell(a: AlertView, language: "fr" | "en" = "fr", width = DESKTOP) {
  const page = await f.open(`/#/alertes?search=${a.reference}`, { language, width });
  const cell = page.getByTestId(`row-${a.reference}-${a.storeCode}`).getByTestId("suggested");
  await cell.waitFor();
  return { page, text: await cell.innerText() };
}

describe.skipIf(!hasChromium)("a suggestion the shelf life blocks", () => {
  it("warns where the brief's quantity, rounded up to the supplier's minimum, would partly expire", async () => {
    const before = await f.api<AlertsResponse>("/api/alerts?limit=500");
    const row = before.alerts.find((a) => a.shelfLifeDays !== null && (a.qtyMargin ?? 0) > 0);
    expect(row, "a perishable with an order under marge").toBeDefined();
    expect((await suggestedCell(row!)).text).toBe(String(row!.suggestedQty));
    // The test's own copy of the base, as a supplier's new minimum would change it.
    const minimum = (value: number | null) => {
      const db = new Database(f.dbPath);
      try {
        const old = db
          .prepare("SELECT minimum_commande AS m FROM articles WHERE id = ?")
          .get(row!.articleId) as { m: number };
        if (value !== null)
          db.prepare("UPDATE articles SET minimum_commande = ? WHERE id = ?").run(
            value,
            row!.articleId,
          );
        return old.m;
      } finally {
        db.close();
      }
    };
    const was = minimum(500);
    try {
      optiflow("ml", "batch", "--today", FIXTURE_TODAY);
      const after = await f.api<AlertsResponse>("/api/alerts?limit=500");
      const same = after.alerts.find(
        (a) => a.articleId === row!.articleId && a.storeId === row!.storeId,
      )!;
      expect(same.suggestedQty).toBeGreaterThanOrEqual(500);
      expect(same.quantityNotes.map((n) => `${n.code}/${n.quantity}`)).toContain(
        "exceeds_shelf_life/margin",
      );
      const cell = await suggestedCell(same);
      expect(cell.text).toBe(
        `${same.suggestedQty!.toLocaleString("fr-FR")}\nen partie périmée avant d'être vendue`,
      );
      await expectAccessible(cell.page, "alerts, an order that would partly expire");
    } finally {
      minimum(was);
    }
  });

  it("says why there is no order, under the policy whose quantity it blocks, and when filling the order", async () => {
    const before = await f.api<AlertsResponse>("/api/alerts?limit=500");
    expect(before.orderPolicy).toBe("marge");
    const row = before.alerts.find((a) => blockedFor(a, "service") && !a.suggestedQty);
    expect(row, "a perishable whose service-level order is blocked").toBeDefined();
    // Under `marge`, the blocked quantity is not the one suggested: the shelf life explains
    // nothing; the stock covering the target date does (empty-suggestion.ts).
    expect(row!.level).toBe("ATTENTION");
    expect((await suggestedCell(row!)).text).toBe(
      `–\naucune : ventes prévues couvertes jusqu'au ${frenchDay(row!.targetDate!)} par le stock`,
    );

    optiflow("settings", "set", "order_policy", "niveau_de_service");
    optiflow("ml", "batch", "--today", FIXTURE_TODAY);
    const after = await f.api<AlertsResponse>("/api/alerts?limit=500");
    expect(after.orderPolicy).toBe("niveau_de_service");
    const same = after.alerts.find(
      (a) => a.articleId === row!.articleId && a.storeId === row!.storeId,
    );
    expect(same && blockedFor(same, "service")).toBe(true);
    expect(same!.suggestedQty ?? 0).toBe(0);
    const french = await suggestedCell(same!);
    expect(french.text).toBe("–\naucune : périmerait avant d'être vendue");
    await expectAccessible(french.page, "alerts, an order the shelf life blocks");
    expect((await suggestedCell(same!, "en")).text).toBe(
      "–\nnone: it would expire before it sells",
    );
    const phone = await suggestedCell(same!, "fr", PHONE);
    expect(phone.text).toBe("–\naucune : périmerait avant d'être vendue");
    await expectNoSidewaysScroll(phone.page, "alerts on a phone, an order the shelf life blocks");
    // The article's sheet says it beside its quantity.
    const sheet = await f.open(`/#/article/${same!.articleId}/${same!.storeId}`);
    await sheet.getByTestId("sheet-suggested").waitFor();
    expect(await sheet.getByTestId("sheet-suggested").innerText()).toMatch(
      /^0 \S+ \(aucune : périmerait avant d'être vendue\) · Commander (avant le |aujourd'hui)/,
    );
    await expectAccessible(sheet, "article sheet, an order the shelf life blocks");
    // The list exported from the page, as filtered, says it too, for the spreadsheet.
    const listed = await f.open(`/#/alertes?search=${same!.reference}&level=${same!.level}`);
    const [download] = await Promise.all([
      listed.waitForEvent("download"),
      listed.getByTestId("alerts-export").click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      `alertes-${same!.level.toLowerCase()}-${FIXTURE_TODAY}.csv`,
    );
    const exported = parse(readFileSync(await download.path()), {
      delimiter: ";",
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(exported.map((r) => [r.store, r.article, r.suggested_quantity, r.shelf_life])).toEqual([
      [same!.storeCode, same!.reference, "0", "blocked"],
    ]);
    // Filling the order with every critical and warning suggestion says how many had none.
    const urgent = after.alerts.filter((a) => a.level === "CRITIQUE" || a.level === "ATTENTION");
    const none = urgent.filter((a) => !a.suggestedQty).length;
    expect(none).toBeGreaterThan(0);
    const page = await f.open("/");
    await page.getByTestId("fill-warning").click();
    const message = page.getByTestId("fill-message");
    await message.waitFor();
    expect(await message.innerText()).toBe(
      `${urgent.length - none} ligne(s) ajoutée(s) à la commande, 0 déjà présente(s) (quantité gardée). ${none} sans quantité suggérée, non ajoutée(s) (voir « Qté suggérée »).`,
    );
    await expectAccessible(page, "alerts, the order filled with rows left out");
  });
});
