import { seriesKey } from "../src/data/legacy/day-cache.js";
import type { BenchPanel, BenchSeries } from "./datasets/panel.js";

/** The item an article stands for: a series' id without its store (`CA_1/FOODS_1_001`). */
export function articleKey(s: BenchSeries): string {
  return s.id.slice(s.id.lastIndexOf("/") + 1);
}

export interface LegacyArticle {
  id: number;
  category: number | null;
  /** The first day any store sold it (an index into the panel's days), -1 if none. */
  first: number;
}

/**
 * The articles a set's legacy tables list (panel-through-batch.ts writes them): numbered from 1
 * in the order the stores' series first name them, with the first day any store sold them.
 */
export function legacyArticles(panel: BenchPanel): Map<string, LegacyArticle> {
  const articles = new Map<string, LegacyArticle>();
  for (const store of panel.stores)
    for (const s of store.series) {
      const first = s.input.sales.findIndex((v) => Number.isFinite(v));
      const known = articles.get(articleKey(s));
      if (!known)
        articles.set(articleKey(s), { id: articles.size + 1, category: s.categoryId, first });
      else if (first >= 0 && (known.first < 0 || first < known.first)) known.first = first;
    }
  return articles;
}

/**
 * The panel with each series' key as the batch names it (article id : store id, the ids of its
 * legacy tables), kept where the set already has one (a legacy database). The pipeline samples
 * rows and series by key (stable-sample.ts): with the batch's keys, the bench draws the samples
 * the batch draws, and measures what the batch serves.
 */
export function withLegacyKeys(panel: BenchPanel): BenchPanel {
  const articles = legacyArticles(panel);
  return {
    ...panel,
    stores: panel.stores.map((store, k) => ({
      ...store,
      series: store.series.map((s) => ({
        ...s,
        legacyKey:
          s.legacyKey ?? seriesKey((articles.get(articleKey(s)) as LegacyArticle).id, k + 1),
      })),
    })),
  };
}
