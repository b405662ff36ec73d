import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabaseReadonly } from "../data/open.js";
import { dayFromIso } from "../domain/calendar/days.js";
import { fitChainPooled, fitStorePooled } from "../domain/forecast/forecast-store.js";
import type { StoreSeries } from "../domain/forecast/model-input.js";
import { DEFAULT_PIPELINE } from "../domain/forecast/pipeline-spec.js";
import { PROPHET_LIKE_DEFAULT } from "../domain/forecast/select-model.js";
import { storeDefaultModel } from "../domain/forecast/store-default.js";
import { demoDatabase, FIXTURE_TODAY } from "../test-support/demo-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { forecastStores } from "./forecast-stores.js";
import type { LoadedSeries } from "./load-series.js";
import { loadSeries } from "./read-series.js";

const temp = createTempDir("optiflow-chain-pooled-");
const HISTORY = 3 * 365;
let loaded: LoadedSeries[];

beforeAll(() => {
  // Two stores of 18 articles: small stores, the case the chain's pooled model is for.
  const db = openDatabaseReadonly(demoDatabase(temp.path, "chain.db", 18));
  try {
    loaded = loadSeries({
      db,
      today: dayFromIso(FIXTURE_TODAY),
      todayIso: FIXTURE_TODAY,
      settings: { country: "FR", horizonDays: 63, historyDays: HISTORY },
      stores: [],
      articles: new Map(),
      series: [],
    });
  } finally {
    db.close();
  }
});
afterAll(() => temp.remove());

const engineSeries = (list: readonly LoadedSeries[]): StoreSeries[] =>
  list.map((s) => ({
    key: s.key,
    input: s.input,
    knownDays: s.knownDays,
    categoryId: s.article.categoryId,
  }));

/** The series grouped by store, in the order the batch meets the stores. */
function byStore(list: readonly LoadedSeries[]): Map<number, LoadedSeries[]> {
  const groups = new Map<number, LoadedSeries[]>();
  for (const s of list) groups.set(s.store.id, [...(groups.get(s.store.id) ?? []), s]);
  return groups;
}

describe("the pooled model across a chain's stores", () => {
  it("is one fit on every store's series, shared by the stores selected tonight", async () => {
    const stores = byStore(loaded);
    expect(stores.size).toBe(2);
    const { selections } = await forecastStores(loaded, HISTORY, 63, DEFAULT_PIPELINE, () => {});
    const chain = fitChainPooled([...stores.values()].map(engineSeries), HISTORY);
    // The rows of two stores' fits: more than one store's spec samples from the same series.
    const oneStoreRows = fitChainPooled([...stores.values()].map(engineSeries), HISTORY, {
      ...DEFAULT_PIPELINE,
      chainRows: "store",
    });
    expect(chain?.rows).toBeGreaterThan(1.2 * (oneStoreRows?.rows ?? 0));
    for (const store of stores.keys()) {
      const pooled = selections.get(store)?.pooled;
      expect(pooled?.coefficients).toEqual(chain?.coefficients);
    }
  });

  it("is one fit per store when the spec says so, and a refitted store keeps its own", async () => {
    const stores = byStore(loaded);
    const [first, second] = [...stores.keys()] as [number, number];
    const perStore = { ...DEFAULT_PIPELINE, pooledAcrossStores: false };
    const own = await forecastStores(loaded, HISTORY, 63, perStore, () => {});
    const firstOwn = own.selections.get(first)?.pooled;
    expect(firstOwn?.coefficients).toEqual(
      fitStorePooled(engineSeries(stores.get(first) ?? []), HISTORY, perStore)?.coefficients,
    );
    expect(firstOwn?.coefficients).not.toEqual(own.selections.get(second)?.pooled?.coefficients);
    // The first store refitted by its earlier selection; the second selected afresh on the chain.
    const earlier = new Map([[first, own.selections.get(first)!]]);
    const mixed = await forecastStores(loaded, HISTORY, 63, DEFAULT_PIPELINE, () => {}, {
      earlier,
    });
    expect(mixed.selections.get(first)?.pooled?.coefficients).toEqual(firstOwn?.coefficients);
    expect(mixed.selections.get(second)?.pooled?.coefficients).toEqual(
      fitChainPooled([...stores.values()].map(engineSeries), HISTORY)?.coefficients,
    );
  });

  it("by default (defaultAcrossStores), also one default model for the chain, chosen on every store", async () => {
    const stores = byStore(loaded);
    // Without the Prophet-like model among the candidates, so that a default chosen on the
    // chain cannot be the one a store of too few series falls back to.
    const spec = {
      ...DEFAULT_PIPELINE,
      candidates: ["seasonal_naive", "weekday_mean_8w", "moving_average_28d", "pooled"],
      selection: { ...DEFAULT_PIPELINE.selection, defaultAcrossStores: true },
    };
    const all = engineSeries([...stores.values()].flat());
    const chain = fitChainPooled([...stores.values()].map(engineSeries), HISTORY, spec);
    const expected = storeDefaultModel(all, HISTORY, 63, spec, chain).models;
    // 18 series a store are too few for a default of its own; the chain's 36 are not.
    expect(
      storeDefaultModel(
        engineSeries(stores.get([...stores.keys()][0] as number) ?? []),
        HISTORY,
        63,
        spec,
        chain,
      ).models,
    ).toEqual(PROPHET_LIKE_DEFAULT);
    expect(expected).not.toEqual(PROPHET_LIKE_DEFAULT);
    const progress: [number, number][] = [];
    const { selections, forecasts } = await forecastStores(loaded, HISTORY, 63, spec, (d, t) =>
      progress.push([d, t]),
    );
    // The series the chain's default was chosen on count as done from the start: all 36 here.
    expect(progress).toEqual([[loaded.length, loaded.length]]);
    for (const store of stores.keys())
      expect(selections.get(store)?.defaultModels).toEqual(expected);
    expect(forecasts.size).toBe(loaded.length);
  });
});
