import type { BatchContext } from "./batch-context.js";
import type { LoadedSeries } from "./load-series.js";

export interface KpiScope {
  /** Appended to the KPI key: "" for all stores, "@<store id>" for one store. */
  suffix: string;
  storeId: number | null;
  series: LoadedSeries[];
}

/**
 * The Dashboard's figures exist for all stores together and for each store, so that the store
 * selector shows that store's health (SPEC §7: the store selector on every page).
 */
export function kpiScopes(ctx: BatchContext): KpiScope[] {
  return [
    { suffix: "", storeId: null, series: ctx.series },
    ...ctx.stores.map((store) => ({
      suffix: `@${store.id}`,
      storeId: store.id,
      series: ctx.series.filter((s) => s.store.id === store.id),
    })),
  ];
}
