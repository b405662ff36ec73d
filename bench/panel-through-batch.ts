import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { openDatabaseReadonly } from "../src/data/open.js";
import { iterateExportRows } from "../src/data/optiflow/published-results.js";
import { publishedRunId } from "../src/data/optiflow/runs-repository.js";
import { dayFromIso, isoFromDay } from "../src/domain/calendar/days.js";
import { importAndRunBatch } from "./batch-on-csv.js";
import {
  type BenchPanel,
  type BenchSeries,
  type BenchStore,
  repositoryRoot,
} from "./datasets/panel.js";
import { articleKey, legacyArticles } from "./legacy-keys.js";
import type { RollingResult } from "./rolling-bench.js";
import { HORIZON, rollingWindows, windowActuals } from "./rolling-origins.js";
import { addWeeks, emptySums, type Sums, wapeOf } from "./window-score.js";

/**
 * A bench set through the product's own path, as a user would try it on their data: written as
 * a retailer's legacy tables (`optiflow import`: stores, articles, a row per day sold, events,
 * promotions), the nightly batch run for the day of a window (`optiflow ml batch --today`), and
 * its published forecasts (`predictions export`) scored on the window's 28 hidden days, weekly
 * totals pooled over the series, as the bench scores them. A day without a sales row is a day
 * that sold nothing, as in a shop's till records; the settings are the defaults but `country`.
 */
export async function panelThroughBatch(
  panel: BenchPanel,
  origin: number,
  dir: string,
  /** The setting `country`, set as a user would (`optiflow settings set`); absent: the default. */
  country?: string,
): Promise<{ sums: Sums; series: number; seconds: number }> {
  const work = join(dir, `${panel.name}-through-batch`);
  // A fresh folder each run: the import refuses to overwrite a database, by design.
  rmSync(work, { recursive: true, force: true });
  const csv = join(work, "csv");
  mkdirSync(csv, { recursive: true });
  for (const [file, lines] of Object.entries(legacyTables(panel, origin)))
    writeLines(join(csv, file), lines);
  const today = isoFromDay(panel.firstDay + origin);
  const { dbPath, seconds } = await importAndRunBatch(work, csv, today, (db) => {
    if (country !== undefined) setCountry(db, country);
  });
  const served = publishedForecasts(dbPath, dayFromIso(today));
  const sums = emptySums();
  let series = 0;
  for (const store of panel.stores)
    for (const s of store.series) {
      const forecast = served.get(`${store.id}|${articleKey(s)}`);
      const actual = windowActuals(s.input, origin);
      // A series the batch does not forecast (no sales row before the window: the legacy tables
      // do not know the article sells there) is left out; `series` counts those scored.
      if (!forecast || !actual.some((v) => Number.isFinite(v))) continue;
      addWeeks(sums, forecast, actual);
      series++;
    }
  rmSync(work, { recursive: true, force: true });
  return { sums, series, seconds };
}

function setCountry(dbPath: string, country: string): void {
  const cli = join(repositoryRoot(), "bin", "optiflow.js");
  const run = spawnSync(
    process.execPath,
    [cli, "settings", "set", "country", country, "--db", dbPath],
    {
      encoding: "utf8",
    },
  );
  if (run.status !== 0) throw new Error(`settings set country ${country}: ${run.stderr}`);
}

/** Written a few thousand lines at a time: a large set's sales do not fit in one string. */
function writeLines(path: string, lines: Iterable<string>): void {
  const fd = openSync(path, "w");
  try {
    let batch: string[] = [];
    for (const line of lines) {
      batch.push(line);
      if (batch.length === 10_000) {
        writeSync(fd, `${batch.join("\n")}\n`);
        batch = [];
      }
    }
    if (batch.length > 0) writeSync(fd, `${batch.join("\n")}\n`);
  } finally {
    closeSync(fd);
  }
}

/** The legacy CSV files of the panel's history before `origin`, by file name. */
function legacyTables(panel: BenchPanel, origin: number): Record<string, Iterable<string>> {
  const articles = legacyArticles(panel);
  const categories = [...new Set([...articles.values()].map((a) => a.category))].filter(
    (c): c is number => c !== null,
  );
  const date = (i: number) => isoFromDay(panel.firstDay + i);
  return {
    "magasins.csv": [
      "id,code,nom,jours_ouverture",
      ...panel.stores.map((store, k) => `${k + 1},${store.id},${store.id},1111111`),
    ],
    "categories.csv": ["id,nom", ...categories.map((c) => `${c},Category ${c}`)],
    "fournisseurs.csv": ["id,nom,delai_livraison_jours", "1,Supplier,7"],
    "articles.csv": [
      "id,reference,nom,categorie_id,fournisseur_id,prix_achat,prix_vente,date_creation",
      ...[...articles].map(
        ([key, a]) =>
          `${a.id},${key},${key},${a.category ?? ""},1,1,2,${date(Math.max(0, a.first))}`,
      ),
    ],
    "ventes.csv": salesFile(panel, (s) => articles.get(articleKey(s))?.id, origin, date),
    "evenements.csv": [
      "nom,type,date_debut,date_fin,magasin_id",
      ...panel.stores.flatMap((store, k) => eventRows(store, k + 1, origin + HORIZON, date)),
    ],
    "promotions.csv": [
      "libelle,article_id,magasin_id,date_debut,date_fin,remise_pct",
      ...panel.stores.flatMap((store, k) =>
        store.series.flatMap((s) =>
          promotionRows(s, k + 1, articles.get(articleKey(s))?.id, origin + HORIZON, date),
        ),
      ),
    ],
  };
}

/** A row per day sold before `origin` (a till records sales, not days without one). */
function* salesFile(
  panel: BenchPanel,
  articleOf: (s: BenchSeries) => number | undefined,
  origin: number,
  date: (i: number) => string,
): Generator<string> {
  yield "date,magasin_id,article_id,quantite,chiffre_affaires";
  for (const [k, store] of panel.stores.entries())
    for (const s of store.series)
      for (let i = 0; i < origin; i++) {
        const v = s.input.sales[i] as number;
        if (Number.isFinite(v) && v > 0) yield `${date(i)},${k + 1},${articleOf(s)},${v},${2 * v}`;
      }
}

/** The store's calendar events up to the window's end, one row per day, as the legacy table. */
function eventRows(
  store: BenchStore,
  storeId: number,
  end: number,
  date: (i: number) => string,
): string[] {
  return store.calendar.events.flatMap((e) => {
    const rows: string[] = [];
    for (let i = 0; i < Math.min(end, e.active.length); i++)
      if (e.active[i] === 1)
        rows.push(`${e.type} ${date(i)},${e.type},${date(i)},${date(i)},${storeId}`);
    return rows;
  });
}

/** Runs of days at one discount, up to the window's end: a store knows its planned promotions. */
function promotionRows(
  s: BenchSeries,
  store: number,
  article: number | undefined,
  end: number,
  date: (i: number) => string,
): string[] {
  const rows: string[] = [];
  const discount = s.input.discount;
  for (let i = 0; i < Math.min(end, discount.length); ) {
    const d = discount[i] as number;
    let j = i + 1;
    while (j < Math.min(end, discount.length) && discount[j] === d) j++;
    if (d > 0)
      rows.push(`Promotion,${article},${store},${date(i)},${date(j - 1)},${(100 * d).toFixed(1)}`);
    i = j;
  }
  return rows;
}

/** The published forecasts of the window's days, by `store code|article reference`. */
function publishedForecasts(dbPath: string, today: number): Map<string, Float64Array> {
  const db = openDatabaseReadonly(dbPath);
  try {
    const runId = publishedRunId(db);
    if (runId === null || runId === undefined) throw new Error(`${dbPath}: no published run`);
    const out = new Map<string, Float64Array>();
    for (const r of iterateExportRows(db, runId)) {
      const h = dayFromIso(r.date) - today;
      if (h < 0 || h >= HORIZON) continue;
      const key = `${r.store}|${r.article}`;
      const f = out.get(key) ?? new Float64Array(HORIZON);
      f[h] = r.forecast;
      out.set(key, f);
    }
    return out;
  } finally {
    db.close();
  }
}

export interface ThroughBatchRow {
  set: string;
  date: string;
  /** Series the batch forecast and the window scored. */
  series: number;
  batch: number;
  /** The bench pipeline's weekly WAPE on the same window, every series. */
  bench: number;
  seconds: number;
}

/**
 * Each set through the batch at its last test window, beside the bench pipeline's score there:
 * the check that the bench measures what users are served.
 */
export async function setsThroughBatch(
  panels: readonly BenchPanel[],
  results: readonly RollingResult[],
  dir: string,
  log: (line: string) => void,
  country?: string,
  /** The last `windows` test windows of each set (`--batch-windows=N`), one batch each. */
  windows = 1,
): Promise<ThroughBatchRow[]> {
  const rows: ThroughBatchRow[] = [];
  for (const panel of panels) {
    const last = rollingWindows(panel)
      .filter((w) => w.half === "test")
      .slice(-windows);
    for (const window of last) {
      const scored = results
        .find((r) => r.set === panel.name)
        ?.windows.find((w) => w.origin === window.origin)?.models.optiflow?.all;
      // Nothing to compare with in a run of the tuning half alone.
      if (!scored) continue;
      const date = isoFromDay(panel.firstDay + window.origin);
      log(`bench: ${panel.name} through the batch (${date})`);
      const run = await panelThroughBatch(panel, window.origin, dir, country);
      rows.push({
        set: panel.name,
        date,
        series: run.series,
        batch: wapeOf(run.sums),
        bench: wapeOf(scored),
        seconds: run.seconds,
      });
    }
  }
  return rows;
}

/** Which windows each set went through the batch at: its last test window, or its last N. */
function windowsText(rows: readonly ThroughBatchRow[]): string {
  const sets = [...new Set(rows.map((r) => r.set))];
  const perSet = Math.max(...sets.map((set) => rows.filter((r) => r.set === set).length));
  return perSet > 1
    ? `each of its last ${perSet} test windows (\`--batch-windows=${perSet}\`)`
    : "its last test window";
}

export function throughBatchLines(rows: readonly ThroughBatchRow[], country?: string): string[] {
  if (rows.length === 0) return [];
  const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "–");
  const settings =
    country === undefined ? "the default settings" : `the setting \`country\` at ${country}`;
  return [
    "## The sets through the product's own path",
    "",
    `Each set written as a retailer's legacy tables (CSV → \`optiflow import\`: a sales row per day sold, events, promotions), \`ml batch --today\` the day of ${windowsText(rows)} with ${settings}, and the published forecasts (\`predictions export\`) scored on the 28 hidden days; beside them, the bench pipeline's score on the same window (every series).`,
    "",
    "| set | window | series | batch: weekly WAPE | bench pipeline: weekly WAPE | batch s |",
    "|---|---|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.set} | ${r.date} | ${r.series} | ${pct(r.batch)} | ${pct(r.bench)} | ${r.seconds.toFixed(1)} |`,
    ),
    "",
  ];
}
