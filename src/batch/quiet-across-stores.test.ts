import { describe, expect, it } from "vitest";
import type { LegacyArticle, LegacyStore } from "../data/legacy/read-catalog.js";
import { QUIET_FLOOR } from "../domain/forecast/calibration.js";
import { SUDDEN_STOP } from "../domain/forecast/dormancy.js";
import {
  STOP_GROUP,
  STOPPED_DAYS,
  STOPPED_HORIZON,
  STOPPED_SPEC,
  storeWithStops,
} from "../test-support/stopped-store.js";
import { forecastStores } from "./forecast-stores.js";
import type { LoadedSeries } from "./load-series.js";

const store = (id: number): LegacyStore => ({
  id,
  code: `M${id}`,
  name: `Magasin ${id}`,
  openingMask: "1111111",
});

const article = (id: number): LegacyArticle => ({
  id,
  reference: `A${id}`,
  name: `Article ${id}`,
  unit: "U",
  categoryId: null,
  categoryName: null,
  supplierId: null,
  supplierName: null,
  supplierOrderDays: null,
  articleLeadTime: null,
  supplierLeadTime: null,
  packSize: 1,
  minimumOrder: 0,
  purchasePrice: null,
  shelfPrice: null,
  vatRate: 0.2,
  shelfLifeDays: null,
  safetyStock: null,
  active: true,
  createdOn: "2020-01-01",
});

/**
 * A chain of two stores: the first holds the series that stopped before a selection window (its
 * quiet weeks), the second only the series that stopped a week before tonight's origin.
 */
function chain(): LoadedSeries[] {
  const series = storeWithStops();
  return series.map((s, k) => ({
    key: s.key,
    article: article(k),
    store: store(k < series.length - STOP_GROUP ? 1 : 2),
    input: s.input,
    knownDays: s.knownDays,
    impacts: [],
  }));
}

async function calibrations(spec: typeof STOPPED_SPEC) {
  const loaded = chain();
  const { forecasts, calibration } = await forecastStores(
    loaded,
    STOPPED_DAYS,
    STOPPED_HORIZON,
    spec,
    () => {},
  );
  const last = loaded.slice(-STOP_GROUP).map((s) => forecasts.get(s.key));
  const stopped = last.map((f) => f?.calibration);
  return { stopped, quietFactor: last.map((f) => f?.quietFactor), calibration };
}

describe("step 2's quiet series in a chain", () => {
  it("take the chain's quiet factor in a store with too few quiet weeks of its own", async () => {
    const { stopped, quietFactor, calibration } = await calibrations(STOPPED_SPEC);
    expect(calibration["1"]?.quiet).toBe(QUIET_FLOOR);
    // The factor the second store applied, the chain's (step 2's report lists it per store).
    expect(calibration["2"]?.quiet).toBe(QUIET_FLOOR);
    expect(stopped).toEqual(Array(STOP_GROUP).fill(QUIET_FLOOR));
    expect(quietFactor).toEqual(Array(STOP_GROUP).fill(true));
  });

  it("keep their class's factor there when the spec keeps quiet factors per store", async () => {
    const { stopped, quietFactor, calibration } = await calibrations({
      ...STOPPED_SPEC,
      quietAcrossStores: false,
    });
    expect(calibration["1"]?.quiet).toBe(QUIET_FLOOR);
    expect(calibration["2"]?.quiet).toBeUndefined();
    for (const factor of stopped) expect(factor).not.toBe(QUIET_FLOOR);
    // The article sheet says their forecast was not reduced for it (published-results.ts).
    expect(quietFactor).toEqual(Array(STOP_GROUP).fill(false));
  });

  it("have no quiet weeks to learn from where the spec reads past stops as empty shelves", async () => {
    const loaded = chain();
    const before = loaded.map((s) => Float64Array.from(s.input.sales));
    const { forecasts, calibration } = await forecastStores(
      loaded,
      STOPPED_DAYS,
      STOPPED_HORIZON,
      { ...STOPPED_SPEC, shelfGaps: { ...SUDDEN_STOP, rateAfter: true } },
      () => {},
    );
    // The stops before the selection windows, ended by sales, are unknown days, not quiet weeks.
    expect(calibration["1"]?.quiet).toBeUndefined();
    expect(calibration["2"]?.quiet).toBeUndefined();
    // The stop still going at the origin is the quiet rules' question, not an empty shelf.
    const last = loaded.slice(-STOP_GROUP).map((s) => forecasts.get(s.key)?.quiet.now);
    expect(last).toEqual(Array(STOP_GROUP).fill(true));
    // Marked on copies: the loaded series, shared with the forecasting threads, are unchanged.
    expect(loaded.map((s) => s.input.sales)).toEqual(before);
  });
});
