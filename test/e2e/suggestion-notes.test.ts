/// <reference lib="dom" />
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/calendar/days.js";
import { roundToPack } from "../../src/domain/replenishment/order-quantity.js";
import { hasChromium } from "../../src/test-support/browser.js";
import { FIXTURE_TODAY } from "../../src/test-support/demo-fixture.js";
import { emptyShelfWithOrderOnItsWay } from "../../src/test-support/order-on-its-way.js";
import type {
  AlertsResponse,
  AlertView,
  DashboardResponse,
  OrderState,
} from "../../web/src/api/client.js";
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
 * where a bare "–" read as a suggestion forgotten. A row whose order on its way comes after one
 * placed today would, which the formula counts as covering its target date while the shelf stands
 * empty. A row whose suggestion leaves the stock under the shop's own safety stock, which the
 * brief's formula does not lift it to.
 */
const BIN = new URL("../../bin/optiflow.js", import.meta.url).pathname;
let f: PagesFixture;
let row: AlertView;
/** Emptied too, its order due on its target date, days after one placed today would come. */
let waiting: AlertView;
/** Emptied, its order due yesterday and not come. */
let overdue: AlertView;
/** A supplier the article is no longer bought from, never delivered in the year read. */
const FORMER_SUPPLIER = { id: 990, name: "Ancien Fournisseur Test", phone: "04 99 00 00 90" };
/** Its late order's number (order-on-its-way.ts names them by article, store and day). */
let formerOrder: string;

beforeAll(async () => {
  if (!hasChromium) return;
  f = await startPages("suggestion-notes", 36);
  const before = await f.api<AlertsResponse>("/api/alerts?level=CRITIQUE&limit=500");
  const chosen = before.alerts.find((a) => a.shelfLifeDays === null && (a.suggestedQty ?? 0) > 0);
  expect(chosen, "a critical article that keeps, with a quantity").toBeDefined();
  emptyShelfWithOrderOnItsWay(f.dbPath, chosen!.articleId, chosen!.storeId, FIXTURE_TODAY);
  // One selling several units a day, so that the days it waits miss at least one.
  const late = before.alerts.find(
    (a) =>
      a !== chosen &&
      a.shelfLifeDays === null &&
      (a.suggestedQty ?? 0) > 0 &&
      (a.ventesPrevuesDelai ?? 0) / a.leadTime >= 3,
  );
  expect(late, "a second critical article, selling 3 a day").toBeDefined();
  const { articleId, storeId, targetDate } = late!;
  emptyShelfWithOrderOnItsWay(f.dbPath, articleId, storeId, FIXTURE_TODAY, targetDate!);
  // A row marked OK, whose delivery was due yesterday and has not come (the critical rows and
  // the OK ones under their safety stock are the other tests').
  const quiet = await f.api<AlertsResponse>("/api/alerts?level=OK&limit=500");
  overdue = quiet.alerts.find(
    (a) =>
      a.onOrder === 0 &&
      a.shelfLifeDays === null &&
      !a.quantityNotes.some((n) => n.code === "below_safety_stock"),
  )!;
  expect(overdue, "an OK article with nothing on order").toBeDefined();
  emptyShelfWithOrderOnItsWay(
    f.dbPath,
    overdue.articleId,
    overdue.storeId,
    FIXTURE_TODAY,
    addDays(FIXTURE_TODAY, -1),
  );
  // And a second delivery, next week, on time.
  const nextWeek = addDays(FIXTURE_TODAY, 7);
  emptyShelfWithOrderOnItsWay(
    f.dbPath,
    overdue.articleId,
    overdue.storeId,
    FIXTURE_TODAY,
    nextWeek,
    120,
  );
  // Another OK row (its stock at 0, the goods counted as due today keep it OK), goods due three
  // days ago from a supplier with no delivery on record.
  const former = quiet.alerts.find(
    (a) => a.onOrder === 0 && a.articleId !== overdue.articleId && a.shelfLifeDays === null,
  );
  expect(former, "a second OK article with nothing on order").toBeDefined();
  addSupplier(f.dbPath, FORMER_SUPPLIER);
  const threeDaysAgo = addDays(FIXTURE_TODAY, -3);
  formerOrder = `TEST-${former!.articleId}-${former!.storeId}-${threeDaysAgo}`;
  emptyShelfWithOrderOnItsWay(
    f.dbPath,
    former!.articleId,
    former!.storeId,
    FIXTURE_TODAY,
    threeDaysAgo,
    undefined,
    FORMER_SUPPLIER.id,
  );
  const batch = spawnSync(
    process.execPath,
    [BIN, "ml", "batch", "--today", FIXTURE_TODAY, "--db", f.dbPath],
    { encoding: "utf8", env: { ...process.env, OPTIFLOW_NOW: `${FIXTURE_TODAY}T06:00:00.000Z` } },
  );
  expect(batch.status, batch.stderr).toBe(0);
  const after = await f.api<AlertsResponse>("/api/alerts?level=CRITIQUE&limit=500");
  const same = (b: AlertView) =>
    after.alerts.find((a) => a.articleId === b.articleId && a.storeId === b.storeId)!;
  row = same(chosen!);
  waiting = same(late!);
  overdue = (await f.api<AlertsResponse>(`/api/alerts?search=${overdue.reference}`)).alerts.find(
    (a) => a.storeId === overdue.storeId,
  )!;
}, 180_000);
afterAll(async () => {
  await f?.close();
});

function addSupplier(dbPath: string, s: typeof FORMER_SUPPLIER) {
  const db = new Database(dbPath);
  try {
    db.prepare("INSERT INTO fournisseurs (id, nom, telephone) VALUES (?, ?, ?)").run(
      s.id,
      s.name,
      s.phone,
    );
  } finally {
    db.close();
  }
}

async function suggestedCell(language: "fr" | "en", width = DESKTOP, of = row) {
  const page = await f.open(`/#/alertes?search=${of.reference}`, { language, width });
  const cell = page.getByTestId(`row-${of.reference}-${of.storeCode}`).getByTestId("suggested");
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
        `^0 \\S+ \\(aucune : ventes prévues couvertes jusqu'au ${frenchDay(target)}, commande en cours comprise\\) · Commander (avant le |aujourd'hui)`,
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

describe.skipIf(!hasChromium)("a critical row whose order on its way comes late", () => {
  it("says the sales its shelf misses while it waits, on the page, the sheet and the calculator", async () => {
    expect([waiting.level, waiting.suggestedQty]).toEqual(["CRITIQUE", 0]);
    const note = waiting.quantityNotes.find(
      (n) => n.code === "sales_missed_while_waiting" && n.quantity === "margin",
    ) as { units: number; from: string; until: string } | undefined;
    expect(note, "the batch's note on the margin quantity").toBeDefined();
    expect(note!.until).toBe(waiting.targetDate);
    const units = note!.units.toLocaleString("fr-FR");
    const words = `${units} ${waiting.unit} de ventes prévues manquées à partir du ${frenchDay(note!.from)} : la commande en cours n'arrive que le ${frenchDay(note!.until)}`;
    // Not "covered": the goods on order cover the target date in total, not in time.
    const french = await suggestedCell("fr", DESKTOP, waiting);
    expect(french.text).toBe(`–\n${words}`);
    await expectAccessible(french.page, "alerts, a critical row whose order comes late");
    const english = await suggestedCell("en", DESKTOP, waiting);
    expect(english.text).toMatch(
      /^–\n[\d.]+ \w+ of forecast sales missed from \d+ \w+ \d{4}: the order on its way only arrives on \d+ \w+ \d{4}$/,
    );

    const sheet = await f.open(`/#/article/${waiting.articleId}/${waiting.storeId}`);
    await sheet.getByTestId("sheet-suggested").waitFor();
    expect(await sheet.getByTestId("sheet-suggested").innerText()).toContain(`(${words})`);
    // The calculator, opened at the same target date, warns of it beside each quantity.
    await sheet.getByTestId("calc-date").fill(waiting.targetDate!);
    const warning = `Attention : la commande en cours n'arrive que le ${frenchDay(note!.until)} ; d'ici là, le rayon manquera ${units} ${waiting.unit} de ventes prévues à partir du ${frenchDay(note!.from)}.`;
    const marginNote = sheet.getByTestId("margin-note-sales_missed_while_waiting");
    await expect.poll(() => marginNote.innerText(), { timeout: 10_000 }).toBe(warning);
    expect(await sheet.getByTestId("note-sales_missed_while_waiting").innerText()).toBe(warning);
    await expectAccessible(sheet, "article sheet and calculator, an order that comes late");

    // The formula's 0 cannot be added; what carries the shelf through the wait can, in one click:
    // the sales it would miss, rounded up to the pack and the minimum.
    expect(await sheet.getByTestId("add-to-order").isDisabled()).toBe(true);
    const bridge = roundToPack(note!.units, waiting.packSize, waiting.minimumOrder);
    const button = sheet.getByTestId("add-bridge");
    expect(await button.innerText()).toBe(
      `Ajouter de quoi tenir jusqu'au ${frenchDay(note!.until)} (${bridge.toLocaleString("fr-FR")})`,
    );
    await button.click();
    const line = async () =>
      (await f.api<OrderState>("/api/orders/lines")).lines.find(
        (l) => l.articleId === waiting.articleId && l.storeId === waiting.storeId,
      )?.quantity;
    await expect.poll(line, { timeout: 10_000 }).toBe(bridge);
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

describe.skipIf(!hasChromium)("goods on order past their expected day", () => {
  it("are said to be late, on the Alerts page and the article sheet", async () => {
    const yesterday = addDays(FIXTURE_TODAY, -1);
    expect([overdue.onOrder, overdue.nextDelivery, overdue.nextDeliveryQuantity]).toEqual([
      5_120,
      yesterday,
      5_000,
    ]);
    // The late delivery's units, not every unit on order, on the late day.
    const expected = `${(5_000).toLocaleString("fr-FR")} attendu(s) le ${frenchDay(yesterday)}`;
    const order = (day: string) => `TEST-${overdue.articleId}-${overdue.storeId}-${day}`;
    const page = await f.open(`/#/alertes?search=${overdue.reference}`);
    const cell = page
      .getByTestId(`row-${overdue.reference}-${overdue.storeCode}`)
      .getByTestId("on-order");
    await cell.waitFor();
    expect(await cell.innerText()).toBe(`${expected}, 120 ensuite\nlivraison en retard`);
    await expectAccessible(page, "alerts, a delivery late");
    // An order due later is not late.
    const onTime = await f.open(`/#/alertes?search=${waiting.reference}`);
    const onTimeRow = onTime.getByTestId(`row-${waiting.reference}-${waiting.storeCode}`);
    await onTimeRow.getByTestId("on-order").waitFor();
    expect(await onTimeRow.getByTestId("late-delivery").count()).toBe(0);

    const english = await f.open(`/#/alertes?search=${overdue.reference}`, { language: "en" });
    const englishCell = english.getByTestId("late-delivery");
    await englishCell.waitFor();
    expect(await englishCell.innerText()).toBe("delivery late");

    const sheet = await f.open(`/#/article/${overdue.articleId}/${overdue.storeId}`);
    const onOrder = sheet.getByTestId("sheet-on-order");
    const nextWeek = addDays(FIXTURE_TODAY, 7);
    const unit = overdue.unit;
    const lateLine = `${(5_000).toLocaleString("fr-FR")} ${unit} attendu(s) le ${frenchDay(yesterday)}`;
    const onTimeToo = `120 ${unit} attendu(s) le ${frenchDay(nextWeek)}, commande ${order(nextWeek)}`;
    // Each line in the article's unit, with its order's number (the one to give the supplier).
    await expect
      .poll(() => onOrder.innerText())
      .toBe(`${lateLine}, commande ${order(yesterday)} (livraison en retard) ; ${onTimeToo}`);
    await expectAccessible(sheet, "article sheet, a delivery late");
  });

  it("put their supplier first on the Dashboard, with the lines late and since when", async () => {
    const { leadTimes } = await f.api<DashboardResponse>("/api/dashboard");
    const supplier = leadTimes?.find((r) => r.supplierId === overdue.supplierId);
    expect(supplier, "the supplier's delivery record").toBeDefined();
    const { overdueSeries, overdueSince, overdueOrders } = supplier!;
    expect(overdueSeries).toBeGreaterThanOrEqual(1);
    expect(overdueSince! <= addDays(FIXTURE_TODAY, -1)).toBe(true);
    // The test's order is among those named; the one due next week is not late.
    const yesterday = addDays(FIXTURE_TODAY, -1);
    expect(overdueOrders).toContain(`TEST-${overdue.articleId}-${overdue.storeId}-${yesterday}`);
    expect(overdueOrders).not.toContain(
      `TEST-${overdue.articleId}-${overdue.storeId}-${addDays(FIXTURE_TODAY, 7)}`,
    );
    const named = overdueOrders!.slice(0, 5).join(", ");
    const more = overdueOrders!.length > 5 ? ` et ${overdueOrders!.length - 5} autre(s)` : "";
    const page = await f.open("/#/dashboard");
    const rows = page.getByTestId("lead-times").locator("tbody tr");
    await rows.first().waitFor();
    const row = rows.filter({ hasText: supplier!.supplier });
    expect(await row.getByTestId("overdue-now").innerText()).toBe(
      `${overdueSeries} article(s) × magasin, depuis le ${frenchDay(overdueSince!)}` +
        `\n${overdueOrders!.length} commande(s) : ${named}${more}` +
        `\nappeler le ${supplier!.phone}`,
    );
    expect(supplier!.phone, "the demo's suppliers have a number").toMatch(/^04 /);
    const phone = row.getByTestId("supplier-phone");
    expect(await phone.getAttribute("href")).toBe(`tel:${supplier!.phone!.replace(/ /g, "")}`);
    // Those to call this morning come first; the others say nothing.
    const cells = await rows.getByTestId("overdue-now").allInnerTexts();
    const late = cells.filter((c) => c !== "–").length;
    expect(late).toBe(leadTimes!.filter((r) => (r.overdueSeries ?? 0) > 0).length);
    expect(cells.slice(0, late).every((c) => c !== "–")).toBe(true);
    await expectAccessible(page, "dashboard, deliveries late this morning");
  });

  it("list a supplier with goods late and no delivery on record, its number to call", async () => {
    const { leadTimes } = await f.api<DashboardResponse>("/api/dashboard");
    const former = leadTimes?.find((r) => r.supplierId === FORMER_SUPPLIER.id);
    expect(former, "listed though it never delivered").toMatchObject({
      supplier: FORMER_SUPPLIER.name,
      observations: 0,
      p50: null,
      // Read from its articles, which it no longer supplies.
      planned: null,
      overdueSeries: 1,
      overdueSince: addDays(FIXTURE_TODAY, -3),
      overdueOrders: [formerOrder],
      phone: FORMER_SUPPLIER.phone,
    });
    const page = await f.open("/#/dashboard");
    const row = page
      .getByTestId("lead-times")
      .locator("tbody tr")
      .filter({ hasText: FORMER_SUPPLIER.name });
    await row.waitFor();
    const cells = await row.locator("td").allInnerTexts();
    expect(cells).toEqual([
      FORMER_SUPPLIER.name,
      "–",
      "–",
      "0",
      "–",
      "Aucune livraison relevée sur l'année",
      `1 article(s) × magasin, depuis le ${frenchDay(addDays(FIXTURE_TODAY, -3))}` +
        `\n1 commande(s) : ${formerOrder}` +
        `\nappeler le ${FORMER_SUPPLIER.phone}`,
    ]);
    await expectAccessible(page, "dashboard, a supplier without a delivery record");
  });
});
