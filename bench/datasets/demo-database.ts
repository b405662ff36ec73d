import type { LoadedSeries } from "../../src/batch/load-series.js";
import { loadSeries } from "../../src/batch/read-series.js";
import { openDatabaseReadonly } from "../../src/data/open.js";
import { dayFromIso, isoFromDay } from "../../src/domain/calendar/days.js";
import type { BenchPanel } from "./panel.js";

/**
 * A demo (or any legacy) database read by the batch's own loader as of the day after its last
 * sale: the whole history as the nightly batch sees it (stock-out days unknown, promotions as
 * discounts, store calendars from the sales), one bench store per legacy store.
 */
export function loadLegacyPanel(dbPath: string, name: string, endIso: string): BenchPanel {
  const db = openDatabaseReadonly(dbPath);
  try {
    const today = dayFromIso(endIso) + 1;
    const historyDays = 3 * 365;
    const ctx = {
      db,
      today,
      todayIso: isoFromDay(today),
      settings: {
        country: "FR" as const,
        horizonDays: 1,
        historyDays,
      },
      stores: [],
      articles: new Map(),
      series: [] as LoadedSeries[],
    };
    const series = loadSeries(ctx);
    const firstDay = today - historyDays;
    const stores = new Map<number, BenchPanel["stores"][number]>();
    for (const s of series) {
      let store = stores.get(s.store.id);
      if (!store) {
        store = {
          id: s.store.code,
          calendar: s.input.calendar,
          openingMask: s.store.openingMask,
          series: [],
        };
        stores.set(s.store.id, store);
      }
      store.series.push({
        id: s.key,
        legacyKey: s.key,
        categoryId: s.article.categoryId,
        input: {
          sales: s.input.sales.subarray(0, historyDays),
          discount: s.input.discount.subarray(0, historyDays),
          calendar: s.input.calendar,
        },
      });
    }
    return {
      name,
      description: `${series.length} article-store series of a generated demo database`,
      firstDay,
      length: historyDays,
      stores: [...stores.values()],
    };
  } finally {
    db.close();
  }
}
