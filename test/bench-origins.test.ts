import { describe, expect, it } from "vitest";
import type { BenchStore } from "../bench/datasets/panel.js";
import { legacyArticles, withLegacyKeys } from "../bench/legacy-keys.js";
import {
  batchView,
  maskedStore,
  weeklyMaskBefore,
  windowActuals,
} from "../bench/rolling-origins.js";
import { HISTORY_DAYS } from "../src/batch/batch-context.js";
import { dayFromIso, isoFromDay, weekdayOfDay } from "../src/domain/calendar/days.js";
import type { StoreCalendar } from "../src/domain/forecast/model-input.js";

const FIRST = dayFromIso("2012-01-01");
const LENGTH = dayFromIso("2016-01-31") - FIRST + 1;
const ORIGIN = dayFromIso("2015-12-14") - FIRST;
const at = (iso: string) => dayFromIso(iso) - FIRST;

/**
 * One store of two series selling 10 units a day each, closed (no sale) on `closed` and selling
 * `stray` units a day in all on `strays`, as a data set reads its closing days from its sales.
 */
function store(closed: readonly string[], strays: readonly string[] = [], stray = 1): BenchStore {
  const open = new Uint8Array(LENGTH).fill(1);
  for (const iso of closed) open[at(iso)] = 0;
  const calendar: StoreCalendar = { firstDay: FIRST, length: LENGTH, open, events: [] };
  const series = ["A", "B"].map((id, k) => {
    const sales = new Float64Array(LENGTH).fill(10);
    for (const iso of closed) sales[at(iso)] = Number.NaN;
    for (const iso of strays) sales[at(iso)] = k === 0 ? stray : 0;
    return { id, categoryId: null, input: { sales, discount: new Float32Array(LENGTH), calendar } };
  });
  return { id: "S", calendar, series };
}

const CHRISTMASES = ["2012-12-25", "2013-12-25", "2014-12-25"];

describe("the bench's closing days at an origin (what the batch could know)", () => {
  it("keeps a closure every past year foretold and opens one nothing in the past foretold", () => {
    // Closed on every Christmas, and on 2015-12-21 for works decided after the origin.
    const full = store([...CHRISTMASES, "2015-12-25", "2015-12-21", "2014-03-03"]);
    const masked = maskedStore(full, ORIGIN);
    expect(masked.calendar.open[at("2015-12-25")]).toBe(0);
    expect(masked.calendar.open[at("2015-12-21")]).toBe(1);
    // The past stays as it was, closures of one year included.
    expect(masked.calendar.open[at("2014-03-03")]).toBe(0);
    expect(masked.calendar.open[at("2014-12-25")]).toBe(0);
    // Every series of the masked store sees that calendar.
    for (const s of masked.series) expect(s.input.calendar).toBe(masked.calendar);
  });

  it("leaves the data set's own calendar alone: the scores still read the real days", () => {
    const full = store([...CHRISTMASES, "2015-12-21"]);
    maskedStore(full, ORIGIN);
    expect(full.calendar.open[at("2015-12-21")]).toBe(0);
    const actual = windowActuals((full.series[0] as BenchStore["series"][number]).input, ORIGIN);
    expect(actual[at("2015-12-21") - ORIGIN]).toBe(0);
    expect(actual[at("2015-12-22") - ORIGIN]).toBe(10);
  });

  it("reads a few stray units on past Christmases as closed, as the batch does", () => {
    const strays = store(["2015-12-25"], CHRISTMASES, 1);
    expect(maskedStore(strays, ORIGIN).calendar.open[at("2015-12-25")]).toBe(0);
    // A real trading day on one past Christmas (15 units, three quarters of a day) keeps it open.
    const traded = store(["2015-12-25"], CHRISTMASES.slice(0, 1), 15);
    traded.calendar.open[at("2013-12-25")] = 0;
    traded.calendar.open[at("2014-12-25")] = 0;
    expect(maskedStore(traded, ORIGIN).calendar.open[at("2015-12-25")]).toBe(1);
  });

  it("keeps a store's weekly closing day: its declared mask, or its last weeks where it has none", () => {
    const sundays = Array.from({ length: LENGTH }, (_, i) => FIRST + i)
      .filter((day) => weekdayOfDay(day) === 6)
      .map(isoFromDay);
    const full = store([...sundays, "2015-12-07"]);
    // Sundays off; a closed Monday (2015-12-07) is one day, not the store's habit.
    expect(weeklyMaskBefore(full.calendar, ORIGIN)).toBe("1111110");
    const masked = maskedStore(full, ORIGIN);
    expect(masked.calendar.open[at("2015-12-20")]).toBe(0);
    expect(masked.calendar.open[at("2015-12-21")]).toBe(1);
    // A legacy database's own mask wins: this store declares Mondays off.
    const declared = maskedStore({ ...full, openingMask: "0111111" }, ORIGIN);
    expect(declared.calendar.open[at("2015-12-21")]).toBe(0);
    expect(declared.calendar.open[at("2015-12-20")]).toBe(1);
  });
});

describe("the history the bench's pipeline sees at an origin (the batch's three years)", () => {
  it("is the last three years, with the days before the set's first closed and unknown", () => {
    const full = store([...CHRISTMASES]);
    // 2015-12-14 is four years into the set: three of them are seen, from 2012-12-14.
    const late = batchView(maskedStore(full, ORIGIN), ORIGIN);
    expect(late.origin).toBe(HISTORY_DAYS);
    expect(late.store.calendar.firstDay).toBe(FIRST + ORIGIN - HISTORY_DAYS);
    // 2013-06-03 is a year and a half in: the view still starts three years back, as the
    // batch reads (its pooled model's origins and its trend are placed on that timeline).
    const origin = at("2013-06-03");
    const early = batchView(maskedStore(full, origin), origin);
    const pad = HISTORY_DAYS - origin;
    expect(early.origin).toBe(HISTORY_DAYS);
    expect(early.store.calendar.firstDay).toBe(FIRST - pad);
    expect(early.store.calendar.length).toBe(HISTORY_DAYS + 28);
    const input = (early.store.series[0] as BenchStore["series"][number]).input;
    expect(input.calendar).toBe(early.store.calendar);
    expect(Array.from(early.store.calendar.open.subarray(0, pad)).every((v) => v === 0)).toBe(true);
    expect(Array.from(input.sales.subarray(0, pad)).every(Number.isNaN)).toBe(true);
    // From the set's first day on, the days are the set's.
    expect(input.sales[pad]).toBe(10);
    expect(early.store.calendar.open[pad + at("2012-12-25")]).toBe(0);
    expect(early.store.calendar.open[pad + at("2012-12-26")]).toBe(1);
  });
});

describe("the bench's series keys", () => {
  it("are the batch's (article id:store id of the legacy tables it writes), or the set's own", () => {
    const a = store([]);
    const b = { ...store([]), id: "T" };
    const panel = {
      name: "p",
      description: "",
      firstDay: FIRST,
      length: LENGTH,
      stores: [
        { ...a, series: a.series.map((s) => ({ ...s, id: `S/${s.id}` })) },
        { ...b, series: [...b.series].reverse().map((s) => ({ ...s, id: `T/${s.id}` })) },
      ],
    };
    const keyed = withLegacyKeys(panel);
    expect(keyed.stores.map((s) => s.series.map((x) => x.legacyKey))).toEqual([
      ["1:1", "2:1"],
      ["2:2", "1:2"],
    ]);
    expect(legacyArticles(panel).get("B")?.id).toBe(2);
    const demo = { ...panel, stores: [{ ...a, series: [{ ...a.series[0]!, legacyKey: "7:3" }] }] };
    expect(withLegacyKeys(demo).stores[0]?.series[0]?.legacyKey).toBe("7:3");
  });
});
