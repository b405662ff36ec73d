import type { BatchContext } from "../../src/batch/batch-context.js";
import { loadSeries } from "../../src/batch/steps/02-predict-sales.js";
import { readDailySales, readStockOutDays } from "../../src/data/legacy/read-sales.js";
import { openDatabaseReadonly } from "../../src/data/open.js";
import { dayFromIso, isoFromDay } from "../../src/domain/calendar/days.js";
import type { BenchDataset } from "./bench-dataset.js";

/**
 * A demo (or any legacy) database seen by the batch's own loader as of `lastDay − horizon`:
 * the models get exactly what the nightly batch would give them; the final `horizon` days are
 * the hidden actuals (stock-out days NaN, closed days zero).
 */
export function loadLegacyDataset(
  dbPath: string,
  name: string,
  endIso: string,
  horizon = 28,
): BenchDataset {
  const db = openDatabaseReadonly(dbPath);
  try {
    const end = dayFromIso(endIso);
    const today = end - horizon;
    const ctx: Pick<
      BatchContext,
      "db" | "today" | "todayIso" | "settings" | "stores" | "articles" | "series"
    > = {
      db,
      today,
      todayIso: isoFromDay(today),
      settings: {
        marginPct: 10,
        countOpenOrders: true,
        horizonDays: horizon,
        historyDays: 3 * 365,
      },
      stores: [],
      articles: new Map(),
      series: [],
    };
    const series = loadSeries(ctx).filter((s) => s.knownDays >= 56);
    const hidden = readDailySales(db, today, end, isoFromDay(today), endIso);
    const stockOuts = readStockOutDays(db, today, end, isoFromDay(today), endIso);
    const dataset: BenchDataset = {
      name,
      description: `${series.length} article-store series of ${dbPath}`,
      calendar: series[0]?.input.calendar ?? {
        firstDay: today,
        length: 0,
        open: new Uint8Array(),
        events: [],
      },
      series: [],
      origin: ctx.settings.historyDays,
      horizon,
      actuals: new Map(),
    };
    for (const s of series) {
      const actual = Float64Array.from(hidden.series.get(s.key) ?? new Float64Array(horizon));
      for (const day of stockOuts.get(s.key) ?? []) actual[day - today] = Number.NaN;
      dataset.series.push({ id: s.key, input: s.input });
      dataset.actuals.set(s.key, actual);
    }
    return dataset;
  } finally {
    db.close();
  }
}
