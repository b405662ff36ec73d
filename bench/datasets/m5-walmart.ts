import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { dayFromIso } from "../../src/domain/calendar/days.js";
import type { StoreCalendar } from "../../src/domain/forecast/model-input.js";
import { type BenchPanel, closedDays, eventIndicators, readCsvRows, SHARED_DATA } from "./panel.js";
import { dailyDiscounts } from "./prices.js";

const DATA = pathToFileURL(`${SHARED_DATA}/`);

const CATEGORY_IDS: Record<string, number> = { FOODS: 1, HOUSEHOLD: 2, HOBBIES: 3 };

/**
 * A Walmart set of the M5 competition (Makridakis et al. 2022, doi:10.1016/j.ijforecast.2021.
 * 11.013): daily unit sales 2013–2015, from each item's first row (its listing), with the M5
 * calendar events and the SNAP days of each store's state. Weekly prices, where the set has them,
 * are read as a discount against the item's usual (median) price in the store.
 */
function loadM5(folder: string, name: string, description: string): BenchPanel | null {
  const dir = new URL(`${folder}/`, DATA);
  const salesUrl = new URL("sales.csv", dir);
  if (!existsSync(salesUrl)) return null;
  const firstDay = dayFromIso("2013-01-01");
  const length = dayFromIso("2015-12-31") - firstDay + 1;
  const byStore = new Map<string, Map<string, Float64Array>>();
  for (const [date, store, item, sales] of readCsvRows(salesUrl)) {
    let items = byStore.get(store as string);
    if (!items) {
      items = new Map();
      byStore.set(store as string, items);
    }
    let values = items.get(item as string);
    if (!values) {
      values = new Float64Array(length).fill(Number.NaN);
      items.set(item as string, values);
    }
    values[dayFromIso(date as string) - firstDay] = Number(sales);
  }
  const events = readCsvRows(new URL("events.csv", dir)).map(([date, eventName, type]) => ({
    date: date as string,
    name: eventName as string,
    type: type as string,
  }));
  const discounts = readDiscounts(new URL("prices.csv", dir), firstDay, length);
  return {
    name,
    description,
    firstDay,
    length,
    stores: [...byStore].map(([store, items]) => {
      const state = store.slice(0, 2);
      // SNAP days are the state's own; other events are national. One indicator per M5 type.
      const rows = events
        .filter((e) => e.type !== "SNAP" || e.name === `SNAP_${state}`)
        .map((e) => ({ date: e.date, type: e.type.toUpperCase() }));
      const open = closedDays([...items.values()], length);
      const calendar: StoreCalendar = {
        firstDay,
        length,
        open,
        events: eventIndicators(rows, firstDay, length),
      };
      return {
        id: store,
        calendar,
        series: [...items].map(([item, sales]) => {
          for (let i = 0; i < length; i++) if (open[i] === 0) sales[i] = Number.NaN;
          return {
            id: `${store}/${item}`,
            categoryId: CATEGORY_IDS[item.split("_")[0] as string] ?? null,
            input: {
              sales,
              discount: discounts.get(`${store}/${item}`) ?? new Float32Array(length),
              calendar,
            },
          };
        }),
      };
    }),
  };
}

/** Weekly prices → a daily discount (0..1) against the series' median price; absent file: none. */
function readDiscounts(url: URL, firstDay: number, length: number): Map<string, Float32Array> {
  if (!existsSync(url)) return new Map();
  const rows = readCsvRows(url).map(([date, store, item, price]) => ({
    key: `${store}/${item}`,
    day: dayFromIso(date as string) - firstDay,
    price: Number(price),
  }));
  return dailyDiscounts(rows, length);
}

export function loadM5Tx3Foods(): BenchPanel | null {
  return loadM5(
    "m5-walmart-tx3-foods",
    "m5-walmart-tx3-foods",
    "823 food items of one Texas Walmart store (TX_3), daily 2013–2015, no promotion flag",
  );
}

export function loadM5NineStores(): BenchPanel | null {
  return loadM5(
    "m5-walmart-9-stores",
    "m5-walmart-9-stores",
    "28 items × 9 Walmart stores (CA, TX, WI), daily 2013–2015, weekly prices",
  );
}
