import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aggregateFolder } from "../bench/aggregate-folder.js";
import { csvFolders, loadCsvFolder } from "../bench/datasets/csv-folder.js";
import { eachCsvRow } from "../bench/datasets/csv-reader.js";
import { loadM5NineStores } from "../bench/datasets/m5-walmart.js";
import { SHARED_DATA } from "../bench/datasets/panel.js";
import { dayFromIso } from "../src/domain/calendar/days.js";

const NINE_STORES = join(SHARED_DATA, "m5-walmart-9-stores");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "optiflow-csv-folder-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[], end = "\n"): void {
  writeFileSync(join(dir, name), `${lines.join(end)}${end}`);
}

describe("a data set folder in the public sets' CSV format", () => {
  it("reads sales, promotions, prices, events and closing days by column name", () => {
    // Columns in another order than the sets', Windows line ends, one store only.
    write(
      "sales.csv",
      [
        "item,sales,date,promo,category",
        "pasta,3,2024-01-01,0,dry",
        "pasta,,2024-01-02,0,dry", // unknown: a stock-out, not a zero
        "pasta,5,2024-01-04,1,dry", // 2024-01-03 has no row: sold nothing
        "milk,7,2024-01-03,0,fresh", // listed on the 3rd
        "milk,2,2024-01-05,0,fresh",
      ],
      "\r\n",
    );
    write("events.csv", ["date,event", "2024-01-01,NewYear", "2024-01-05,StoreClosed"]);
    write("prices.csv", [
      "date,store,item,price",
      "2024-01-01,1,milk,2.00",
      "2024-01-04,1,milk,1.50",
    ]);
    const panel = loadCsvFolder(dir);
    expect(panel).not.toBeNull();
    if (!panel) return;
    expect(panel.firstDay).toBe(dayFromIso("2024-01-01"));
    expect(panel.length).toBe(5);
    expect(panel.description).toContain("2 series in 1 store, daily 2024-01-01 to 2024-01-05");
    const [store] = panel.stores;
    expect(store?.calendar.open).toEqual(Uint8Array.from([1, 1, 1, 1, 0]));
    expect(store?.calendar.events).toEqual([
      { type: "FERIE", active: Uint8Array.from([1, 0, 0, 0, 0]) },
    ]);
    const byId = new Map(store?.series.map((s) => [s.id, s]));
    const pasta = byId.get("1/pasta");
    const milk = byId.get("1/milk");
    expect(Array.from(pasta?.input.sales ?? [])).toEqual([3, Number.NaN, 0, 5, Number.NaN]);
    expect(Array.from(milk?.input.sales ?? [])).toEqual([Number.NaN, Number.NaN, 7, 0, Number.NaN]);
    expect(Array.from(pasta?.input.discount ?? [])).toEqual([0, 0, 0, 0.2, 0].map(Math.fround));
    // The usual (median) price of milk is 2.00 ([2, 2, 2, 1.5, 1.5]): 1.50 is 25% off.
    expect(Array.from(milk?.input.discount ?? [])).toEqual([0, 0, 0, 0.25, 0.25]);
    expect([pasta?.categoryId, milk?.categoryId]).toEqual([1, 2]);
  });

  it("keeps stores apart and infers a store's closing days from a day nobody sold on", () => {
    const lines = ["date,store,item,sales"];
    for (let item = 0; item < 20; item++)
      for (const [day, sales] of [
        ["2024-03-01", 1],
        ["2024-03-02", 0],
        ["2024-03-03", 2],
      ] as const) {
        lines.push(`${day},A,i${item},${sales}`);
        lines.push(`${day},B,i${item},${item === 0 ? 1 : sales}`);
      }
    write("sales.csv", lines);
    write("events.csv", ["date,name,type", "2024-03-03,SNAP_A,SNAP"]);
    const panel = loadCsvFolder(dir);
    const stores = new Map(panel?.stores.map((s) => [s.id, s]));
    expect([...stores.keys()]).toEqual(["A", "B"]);
    expect(stores.get("A")?.calendar.open).toEqual(Uint8Array.from([1, 0, 1]));
    expect(stores.get("B")?.calendar.open).toEqual(Uint8Array.from([1, 1, 1]));
    expect(stores.get("A")?.calendar.events.map((e) => e.type)).toEqual(["SNAP"]);
    expect(stores.get("B")?.series).toHaveLength(20);
  });

  it("names the file, the line and the header of what it cannot read", () => {
    write("sales.csv", ["date,item,sales", "2024-01-01,a,1", "01/02/2024,a,2"]);
    expect(() => loadCsvFolder(dir)).toThrow(/sales\.csv, line 3: "01\/02\/2024" is no YYYY-MM-DD/);
    write("sales.csv", ["day,item,units", "2024-01-01,a,1"]);
    expect(() => loadCsvFolder(dir)).toThrow(/no date, sales column \(header: day,item,units\)/);
  });

  it("reads a spreadsheet's French export: semicolons and decimal commas", () => {
    write("sales.csv", [
      "Date;Magasin;Item;Sales",
      "2024-01-01;A;farine;1,5",
      "2024-01-02;A;farine;2",
    ]);
    const panel = loadCsvFolder(dir);
    expect(Array.from(panel?.stores[0]?.series[0]?.input.sales ?? [])).toEqual([1.5, 2]);
  });

  it("reads a file in chunks, a line or a character cut at any place", () => {
    const path = join(dir, "cut.csv");
    const rows = ["café,€ 1", "crème brûlée,€ 22", "", "thé,333"];
    writeFileSync(path, `name,value\r\n${rows.join("\r\n")}`);
    for (const chunk of [1, 2, 3, 5, 7, 64]) {
      const seen: string[] = [];
      const column = eachCsvRow(
        path,
        ["name"],
        (cells, line) => seen.push(`${line}:${cells.join("|")}`),
        chunk,
      );
      expect(seen).toEqual(["2:café|€ 1", "3:crème brûlée|€ 22", "5:thé|333"]);
      expect(column).toEqual({ name: 0, value: 1 });
    }
  });

  it("finds the folders holding a sales.csv, but those with a loader of their own", () => {
    for (const name of ["b-set", "a-set", "known", "no-sales"]) mkdirSync(join(dir, name));
    for (const name of ["b-set", "a-set", "known"])
      writeFileSync(join(dir, name, "sales.csv"), "date,item,sales\n");
    writeFileSync(join(dir, "sales.csv"), "a file, not a folder\n");
    expect(csvFolders(dir, ["known"])).toEqual([join(dir, "a-set"), join(dir, "b-set")]);
    expect(csvFolders(join(dir, "absent"), [])).toEqual([]);
    expect(loadCsvFolder(join(dir, "a-set"))).toBeNull();
  });

  it("sums a folder per store and item prefix, or per store", () => {
    write("sales.csv", [
      "date,store,item,sales",
      "2024-01-01,A,FOODS_1,2",
      "2024-01-01,A,FOODS_2,3",
      "2024-01-01,A,TOYS_1,1",
      "2024-01-01,B,FOODS_1,4",
      "2024-01-02,A,FOODS_1,", // unknown: the group's day is its other items'
      "2024-01-02,A,FOODS_2,5",
    ]);
    write("events.csv", ["date,event", "2024-01-02,NewYear"]);
    const out = join(dir, "by-prefix");
    expect(aggregateFolder(dir, out, "prefix")).toEqual({ series: 3, rows: 4 });
    const panel = loadCsvFolder(out);
    const sales = new Map(
      panel?.stores.flatMap((s) => s.series.map((x) => [x.id, Array.from(x.input.sales)])),
    );
    expect(Object.fromEntries(sales)).toEqual({
      "A/FOODS": [5, 5],
      "A/TOYS": [1, 0],
      "B/FOODS": [4, 0],
    });
    expect(panel?.stores[0]?.calendar.events.map((e) => e.type)).toEqual(["FERIE"]);
    expect(aggregateFolder(dir, join(dir, "by-store"), "store")).toEqual({ series: 2, rows: 3 });
    const totals = loadCsvFolder(join(dir, "by-store"));
    expect(totals?.stores.map((s) => Array.from(s.series[0]?.input.sales ?? []))).toEqual([
      [6, 5],
      [4, 0],
    ]);
  });

  it.runIf(existsSync(NINE_STORES))(
    "reads the 9 Walmart stores as their own loader does (when ../shared/data is present)",
    () => {
      const own = loadM5NineStores();
      const generic = loadCsvFolder(NINE_STORES);
      expect(generic?.firstDay).toBe(own?.firstDay);
      expect(generic?.length).toBe(own?.length);
      for (const store of own?.stores ?? []) {
        const twin = generic?.stores.find((s) => s.id === store.id);
        expect(twin?.calendar.open).toEqual(store.calendar.open);
        for (const s of store.series) {
          const other = twin?.series.find((t) => t.id === s.id);
          expect(other?.input.sales).toEqual(s.input.sales);
          expect(other?.input.discount).toEqual(s.input.discount);
        }
        expect(twin?.series).toHaveLength(store.series.length);
      }
    },
  );
});
