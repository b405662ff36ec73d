import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isoFromDay } from "../src/domain/calendar/days.js";
import { checkCommandLine } from "./bench-flags.js";
import { dayOfCell, eachCsvRow, numberOf } from "./datasets/csv-reader.js";

/**
 * `node dist/bench/aggregate-folder.js --from=DIR --to=DIR --by=prefix|store`: a data set folder
 * (bench/datasets/csv-folder.ts) summed into fewer, smoother series, written as another folder
 * that `npm run bench -- --data=DIR` reads. `prefix`: per store and item prefix before its first
 * underscore (the department of a Walmart item, FOODS_1_033 → FOODS; the brand of an Italian
 * one, B1_1 → B1); `store`: one series per store, its total. The events are copied; promotion
 * flags and prices are left out, as they belong to single items.
 *
 * Why: the first failure on real data was on category-level series with a strong yearly
 * cycle, a kind the public sets hold only in this summed form.
 */
function main(argv: readonly string[]): void {
  const command = "node dist/bench/aggregate-folder.js";
  checkCommandLine(argv, command, "A data set folder summed into fewer, smoother series.", [
    { name: "from", value: "DIR", help: "the set's folder (its sales.csv)" },
    { name: "to", value: "DIR", help: "the folder written" },
    { name: "by", value: "prefix|store", oneOf: ["prefix", "store"], help: "what is summed" },
  ]);
  const flag = (name: string) =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const from = flag("from");
  const to = flag("to");
  const by = flag("by");
  if (!from || !to || (by !== "prefix" && by !== "store")) {
    process.stderr.write(`usage: ${command} --from=DIR --to=DIR --by=prefix|store\n`);
    process.exit(2);
  }
  if (!existsSync(join(from, "sales.csv"))) {
    process.stderr.write(`aggregate-folder: no sales.csv in ${from}\n`);
    process.exit(2);
  }
  const { series, rows } = aggregateFolder(from, to, by);
  process.stderr.write(`aggregate-folder: ${series} series, ${rows} rows → ${to}\n`);
}

/** Writes `from`'s sales summed `by` into `to` (its events copied); counts what it wrote. */
export function aggregateFolder(
  from: string,
  to: string,
  by: "prefix" | "store",
): { series: number; rows: number } {
  const salesPath = join(from, "sales.csv");
  const totals = new Map<string, number>();
  eachCsvRow(salesPath, ["date", "item", "sales"], (cells, line, column) => {
    const day = dayOfCell(cells[column.date], salesPath, line);
    const store = column.store === undefined ? "1" : (cells[column.store] ?? "");
    const item = cells[column.item] ?? "";
    const group = by === "store" ? "TOTAL" : (item.split("_")[0] ?? item);
    const sales = numberOf(cells[column.sales]);
    // An unknown day of one item leaves the group's day as its other items make it.
    const key = `${day},${store},${group}`;
    totals.set(key, (totals.get(key) ?? 0) + (Number.isFinite(sales) ? sales : 0));
  });
  mkdirSync(to, { recursive: true });
  const rows = [...totals]
    .map(([key, sales]) => {
      const [day, store, group] = key.split(",");
      return { day: Number(day), line: `${isoFromDay(Number(day))},${store},${group},${sales}` };
    })
    .sort((a, b) => a.day - b.day || a.line.localeCompare(b.line));
  writeFileSync(
    join(to, "sales.csv"),
    `date,store,item,sales\n${rows.map((r) => r.line).join("\n")}\n`,
  );
  if (existsSync(join(from, "events.csv")))
    copyFileSync(join(from, "events.csv"), join(to, "events.csv"));
  const series = new Set([...totals.keys()].map((k) => k.slice(k.indexOf(",") + 1))).size;
  return { series, rows: rows.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main(process.argv.slice(2));
