import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decimalComma } from "../src/app/french-csv.js";
import { addDays } from "../src/domain/calendar/days.js";
import { FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { emptyShelfWithOrderOnItsWay } from "../src/test-support/order-on-its-way.js";
import { FIXTURE_NOW, publishedDemo } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * `optiflow alerts critical` says, below its table, what the Alerts page says beside a row's
 * quantity (test/e2e/suggestion-notes.test.ts): why a critical row suggests nothing (the order on
 * its way covers its target date), which rows the suggestion leaves under the shop's own safety
 * stock, the sales a shelf misses while it waits for an order due after one placed today, and the
 * deliveries already late.
 */
const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-cli-suggestion-notes-");
let db: string;

function optiflow(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, "--db", db], {
    cwd: temp.path,
    encoding: "utf8",
    env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

interface CriticalRow {
  articleId: number;
  storeId: number;
  reference: string;
  storeCode: string;
  unit: string;
  suggestedQty: number | null;
  onOrder: number;
  targetDate: string | null;
  shelfLifeDays: number | null;
  emptySuggestion: string | null;
  belowSafetyStock: number | null;
  leadTime: number;
  ventesPrevuesDelai: number | null;
  missedWhileWaiting: { units: number; from: string; until: string } | null;
  nextDelivery: string | null;
}

const critical = () =>
  (JSON.parse(optiflow("alerts", "critical", "--json")) as { alerts: CriticalRow[] }).alerts;
const same = (rows: CriticalRow[], r: CriticalRow) =>
  rows.find((a) => a.articleId === r.articleId && a.storeId === r.storeId);

/** The lines below the table from `heading` to the next blank line (none: an empty list). */
function noteLines(out: string, heading: string): string[] {
  const lines = out.split("\n");
  const first = lines.indexOf(heading);
  if (first < 0) return [];
  const end = lines.indexOf("", first);
  return lines.slice(first, end < 0 ? undefined : end);
}

/** The critical rows as `alerts export` writes them for a spreadsheet, by store and article. */
function exportedRow(r: CriticalRow): Record<string, string> | undefined {
  const csv = optiflow("alerts", "export", "--level", "critique");
  const rows = parse(csv, { delimiter: ";", bom: true, columns: true }) as Record<string, string>[];
  return rows.find((e) => e.store === r.storeCode && e.article === r.reference);
}

/** The shop's own safety stock for an article, as its legacy system would hold it. */
function setSafetyStock(articleId: number, units: number): void {
  const writer = new Database(db);
  try {
    writer.prepare("UPDATE articles SET stock_securite = ? WHERE id = ?").run(units, articleId);
  } finally {
    writer.close();
  }
}

/**
 * Emptied, its order on its way; another critical article, its safety stock out of reach; and a
 * third emptied, its order due on the target date, after an order placed today would come.
 */
let covered: CriticalRow;
let underSafety: CriticalRow;
let waiting: CriticalRow;
/** A warning row emptied, one unit on order due yesterday: critical, a delivery late. */
let overdue: CriticalRow;

beforeAll(async () => {
  db = (await publishedDemo(temp.path, "suggestion-notes.db", 36)).path;
  const keeps = critical().filter((a) => a.shelfLifeDays === null && (a.suggestedQty ?? 0) > 0);
  covered = keeps[0] as CriticalRow;
  // In the same store, so that the other store's table stands alone.
  underSafety = keeps.find((a) => a !== covered && a.storeId === covered.storeId) as CriticalRow;
  expect(underSafety, "a second one in the same store").toBeDefined();
  // One that sells several units a day, so that the days it waits miss at least one.
  waiting = keeps.find(
    (a) =>
      a !== covered &&
      a !== underSafety &&
      a.storeId === covered.storeId &&
      (a.ventesPrevuesDelai ?? 0) / a.leadTime >= 3,
  ) as CriticalRow;
  expect(waiting, "a third one in the same store, selling 3 a day").toBeDefined();
  // A warning row of the same store, emptied: critical then, its one unit on order late.
  const warnings = JSON.parse(
    optiflow("alerts", "export", "--level", "attention", "--format", "json"),
  ) as { alerts: CriticalRow[] };
  overdue = warnings.alerts.find(
    (a) => a.storeId === covered.storeId && (a.ventesPrevuesDelai ?? 0) >= 3,
  ) as CriticalRow;
  expect(overdue, "a warning row in the same store, selling 3 in its lead time").toBeDefined();
  emptyShelfWithOrderOnItsWay(db, covered.articleId, covered.storeId, FIXTURE_TODAY);
  const due = waiting.targetDate as string;
  emptyShelfWithOrderOnItsWay(db, waiting.articleId, waiting.storeId, FIXTURE_TODAY, due);
  setSafetyStock(underSafety.articleId, 10_000);
  // One unit due yesterday and not come: the emptied row turns critical.
  const yesterday = addDays(FIXTURE_TODAY, -1);
  emptyShelfWithOrderOnItsWay(db, overdue.articleId, overdue.storeId, FIXTURE_TODAY, yesterday, 1);
  optiflow("ml", "batch", "--today", FIXTURE_TODAY);
}, 120_000);

afterAll(() => temp.remove());

describe("optiflow alerts critical: what it says of a row's quantity", () => {
  it("says the order on its way covers the target date of a row with nothing to order", () => {
    const rows = critical();
    const row = same(rows, covered);
    expect(row?.suggestedQty).toBe(0);
    expect(row?.onOrder).toBeGreaterThan(0);
    expect(row?.emptySuggestion).toBe("covered_with_orders");
    // A critical row with a quantity has nothing to explain.
    const ordered = rows.filter((a) => (a.suggestedQty ?? 0) > 0);
    expect(ordered.length).toBeGreaterThan(0);
    expect(ordered.every((a) => a.emptySuggestion === null)).toBe(true);
    expect(noteLines(optiflow("alerts", "critical"), "Aucune quantité suggérée :")).toEqual([
      "Aucune quantité suggérée :",
      `  ${covered.storeCode} ${covered.reference} : ventes prévues couvertes jusqu'au ${row?.targetDate}, commande en cours comprise`,
    ]);
    // The list exported for a spreadsheet says it in its last columns.
    const exported = exportedRow(covered);
    expect([exported?.suggested_quantity, exported?.empty_suggestion]).toEqual([
      "0",
      "covered_with_orders",
    ]);
    expect(exported?.below_safety_stock).toBe("");
  });

  it("says what a shelf misses while it waits for an order due after one placed today", () => {
    const row = same(critical(), waiting);
    expect(row?.suggestedQty).toBe(0);
    // Covered in total by the target date, not in time: not said to be covered.
    expect(row?.emptySuggestion).toBeNull();
    const missed = row?.missedWhileWaiting as NonNullable<CriticalRow["missedWhileWaiting"]>;
    const arrival = addDays(FIXTURE_TODAY, waiting.leadTime);
    expect(missed.until).toBe(waiting.targetDate);
    expect(missed.from >= arrival && missed.from < (missed.until as string)).toBe(true);
    expect(missed.units).toBeGreaterThanOrEqual(1);
    // The rows whose orders come in time (the covered one included) have nothing to say.
    expect(critical().filter((a) => a.missedWhileWaiting !== null)).toHaveLength(1);
    const units = decimalComma(missed.units as number, 1);
    expect(
      noteLines(
        optiflow("alerts", "critical"),
        "Ventes manquées en attendant la commande en cours :",
      ),
    ).toEqual([
      "Ventes manquées en attendant la commande en cours :",
      `  ${waiting.storeCode} ${waiting.reference} : ${units} ${waiting.unit} à partir du ${missed.from}, commande en cours attendue le ${missed.until}`,
    ]);
    expect(exportedRow(waiting)?.missed_while_waiting).toBe(units);
    expect(exportedRow(covered)?.missed_while_waiting).toBe("");
    // The calculator warns of it too, for the same target date.
    const calc = optiflow(
      "alerts",
      "calc",
      waiting.reference,
      waiting.targetDate as string,
      "10",
      "--store",
      waiting.storeCode,
    );
    expect(calc).toContain(
      `Attention : la commande en cours n'arrive que le ${missed.until} ; d'ici là, le rayon manquera ${units} ${waiting.unit} de ventes prévues à partir du ${missed.from}.`,
    );
  });

  it("lists the deliveries already late, the supplier to call", () => {
    const row = same(critical(), overdue);
    const yesterday = addDays(FIXTURE_TODAY, -1);
    expect([row?.onOrder, row?.nextDelivery]).toEqual([1, yesterday]);
    // With its order's number (order-on-its-way.ts names them by article, store and day).
    const lateOrder = `TEST-${overdue.articleId}-${overdue.storeId}-${yesterday}`;
    expect(noteLines(optiflow("alerts", "critical"), "Livraisons en retard :")).toEqual([
      "Livraisons en retard :",
      `  ${overdue.storeCode} ${overdue.reference} : attendue le ${yesterday}, 1 en commande (${lateOrder})`,
    ]);
    // The list for a spreadsheet gives the day, before the file's: late.
    expect(exportedRow(overdue)?.next_delivery).toBe(yesterday);
    const onItsWay = same(critical(), covered)?.nextDelivery as string;
    expect(onItsWay > FIXTURE_TODAY).toBe(true);
    expect(exportedRow(covered)?.next_delivery).toBe(onItsWay);
  });

  it("prints the table alone for a store without such rows", () => {
    const other = covered.storeCode === "MAG01" ? "MAG02" : "MAG01";
    const out = optiflow("alerts", "critical", "--store", other);
    expect(out).not.toContain("Aucune quantité");
    expect(out).not.toContain("Sous le stock de sécurité");
  });
  it("says which suggestion leaves the stock under the shop's safety stock, under marge only", () => {
    const row = same(critical(), underSafety);
    expect(row?.suggestedQty).toBeGreaterThan(0);
    expect(row?.belowSafetyStock).toBe(10_000);
    expect(critical().filter((a) => a.belowSafetyStock !== null)).toHaveLength(1);
    expect(noteLines(optiflow("alerts", "critical"), "Sous le stock de sécurité :")).toEqual([
      "Sous le stock de sécurité :",
      `  ${underSafety.storeCode} ${underSafety.reference} : 10000 d'ici le ${row?.targetDate}`,
    ]);
    expect(exportedRow(underSafety)?.below_safety_stock).toBe("10000");
    // The service-level quantity is raised to it instead: nothing to warn of.
    optiflow("settings", "set", "order_policy", "niveau_de_service");
    optiflow("ml", "batch", "--today", FIXTURE_TODAY);
    expect(same(critical(), underSafety)?.belowSafetyStock).toBeNull();
    expect(exportedRow(underSafety)?.below_safety_stock).toBe("");
    expect(optiflow("alerts", "critical")).not.toContain("Sous le stock de sécurité");
  });
});
