import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabaseReadonly } from "../data/open.js";
import { dayFromIso } from "../domain/calendar/days.js";
import { missingPublicHolidays } from "../domain/calendar/store-events.js";
import { DEFAULT_PIPELINE } from "../domain/forecast/pipeline-spec.js";
import { demoDatabase, FIXTURE_TODAY } from "../test-support/demo-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import type { BatchSettings } from "./batch-context.js";
import { forecastStores } from "./forecast-stores.js";
import { loadSeries } from "./read-series.js";

const temp = createTempDir("optiflow-events-");
let path: string;
const today = dayFromIso(FIXTURE_TODAY);
const settings: Pick<BatchSettings, "country" | "historyDays" | "horizonDays"> = {
  country: "FR",
  horizonDays: 63,
  historyDays: 3 * 365,
};

beforeAll(() => {
  path = demoDatabase(temp.path, "events.db", 18);
});
afterAll(() => temp.remove());

async function forecastNow(country: BatchSettings["country"] = "FR") {
  const db = openDatabaseReadonly(path);
  try {
    const ctx = {
      db,
      today,
      todayIso: FIXTURE_TODAY,
      settings: { ...settings, country },
      stores: [],
      articles: new Map(),
      series: [],
    };
    const loaded = loadSeries(ctx);
    const { forecasts } = await forecastStores(
      loaded,
      settings.historyDays,
      settings.horizonDays,
      DEFAULT_PIPELINE,
      () => {},
    );
    return { loaded, forecasts };
  } finally {
    db.close();
  }
}

function declare(impactPct: number | null, extra: Record<string, number> = {}) {
  const raw = new Database(path);
  raw
    .prepare(
      `INSERT INTO optiflow_events (name, type, date_debut, date_fin, magasin_id, categorie_id, article_id, impact_pct, created_at, created_by)
       VALUES ('Braderie', 'LOCAL', '2026-12-05', '2026-12-07', NULL, ?, ?, ?, '2026-11-25T07:00:00Z', 'test')`,
    )
    .run(extra.categoryId ?? null, extra.articleId ?? null, impactPct);
  raw.close();
}

function withdrawAll() {
  const raw = new Database(path);
  raw.exec("DELETE FROM optiflow_events");
  raw.close();
}

describe("a declared event with an expected impact", () => {
  it("moves every series by exactly that impact on its days, and nothing else", async () => {
    // Optiflow's tables must exist for user events: migrate once through a batch-less open.
    const { openOptiflowDatabase } = await import("../data/optiflow/open-optiflow.js");
    openOptiflowDatabase(path).close();
    withdrawAll();
    const before = await forecastNow();
    declare(50);
    const after = await forecastNow();
    withdrawAll();
    const first = dayFromIso("2026-12-05") - today;
    let checked = 0;
    for (const s of before.loaded) {
      const a = before.forecasts.get(s.key)?.mean;
      const b = after.forecasts.get(s.key)?.mean;
      if (!a || !b) continue;
      for (let h = 0; h < a.length; h++) {
        const onEvent = h >= first && h <= first + 2;
        if (onEvent && (a[h] as number) > 0) {
          expect((b[h] as number) / (a[h] as number), `${s.key} day ${h}`).toBeCloseTo(1.5, 9);
          checked++;
        } else expect(b[h], `${s.key} day ${h}`).toBeCloseTo(a[h] as number, 9);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("scoped to a category: only that category's series move", async () => {
    const db = openDatabaseReadonly(path);
    const category = (
      db.prepare("SELECT categorie_id AS c FROM articles WHERE actif = 1 LIMIT 1").get() as {
        c: number;
      }
    ).c;
    db.close();
    withdrawAll();
    const before = await forecastNow();
    declare(-20, { categoryId: category });
    const after = await forecastNow();
    withdrawAll();
    const day = dayFromIso("2026-12-06") - today;
    for (const s of before.loaded) {
      const a = before.forecasts.get(s.key)?.mean[day] as number;
      const b = after.forecasts.get(s.key)?.mean[day] as number;
      if (!(a > 0)) continue;
      expect(b / a, s.key).toBeCloseTo(s.article.categoryId === category ? 0.8 : 1, 9);
    }
  });
});

describe("public holidays", () => {
  it("adds France's holidays to the calendar unless the legacy events list them", () => {
    const from = dayFromIso("2026-01-01");
    const to = dayFromIso("2026-12-31");
    expect(missingPublicHolidays([], "FR", from, to)).toHaveLength(11);
    expect(missingPublicHolidays([], "none", from, to)).toEqual([]);
    const christmas = dayFromIso("2026-12-25");
    const listed = {
      type: "FERIE",
      startDay: christmas,
      endDay: christmas,
      storeId: null,
      categoryId: null,
      articleId: null,
      impactPct: null,
      source: "legacy" as const,
    };
    const added = missingPublicHolidays([listed], "FR", from, to);
    expect(added).toHaveLength(10);
    expect(added.some((e) => e.startDay === christmas)).toBe(false);
    const forOneStore = missingPublicHolidays([{ ...listed, storeId: 2 }], "FR", from, to);
    expect(forOneStore.find((e) => e.startDay === christmas)?.exceptStores).toEqual([2]);
  });

  it("marks them in every store's calendar ahead, as FERIE", async () => {
    // The demo's legacy events do list holidays: remove them to see Optiflow add its own.
    const copy = demoDatabase(temp.path, "no-holidays.db", 18);
    const raw = new Database(copy);
    raw.exec("DELETE FROM evenements WHERE type = 'FERIE'");
    raw.close();
    const db = openDatabaseReadonly(copy);
    try {
      const loaded = loadSeries({
        db,
        today,
        todayIso: FIXTURE_TODAY,
        settings,
        stores: [],
        articles: new Map(),
        series: [],
      });
      const calendar = loaded[0]!.input.calendar;
      const ferie = calendar.events.find((e) => e.type === "FERIE");
      const christmas = dayFromIso("2026-12-25") - calendar.firstDay;
      expect(ferie?.active[christmas]).toBe(1);
      const none = loadSeries({
        db,
        today,
        todayIso: FIXTURE_TODAY,
        settings: { ...settings, country: "none" },
        stores: [],
        articles: new Map(),
        series: [],
      });
      expect(none[0]!.input.calendar.events.find((e) => e.type === "FERIE")).toBeUndefined();
    } finally {
      db.close();
    }
  });
});
