import type { SeriesInput } from "./model-input.js";

export interface EventEffect {
  type: string;
  categoryId: number;
  /** Sales on event days vs the same weekdays around them, in %. */
  effectPct: number;
  series: number;
}

/**
 * SPEC §5 events learned per type and category, model-free so that the figure shown to users
 * is easy to explain: sales on the event's days against the mean of the same weekday one to
 * four weeks before and after (shifts of whole weeks keep the weekday; days of an event of that
 * type are left out), pooled over the category.
 */
export function learnEventEffects(
  series: readonly { categoryId: number; input: SeriesInput }[],
  origin: number,
): EventEffect[] {
  const sums = new Map<string, { event: number; baseline: number; series: Set<number> }>();
  series.forEach(({ categoryId, input }, index) => {
    for (const { type, active } of input.calendar.events) {
      let event = 0;
      let baseline = 0;
      for (let i = 28; i < origin - 28; i++) {
        if (active[i] !== 1) continue;
        const v = input.sales[i] as number;
        if (!Number.isFinite(v)) continue;
        let sum = 0;
        let n = 0;
        for (const k of [-28, -21, -14, -7, 7, 14, 21, 28]) {
          const j = i + k;
          const b = input.sales[j] as number;
          if (active[j] === 1 || !Number.isFinite(b)) continue;
          sum += b;
          n++;
        }
        if (n < 2) continue;
        event += v;
        baseline += sum / n;
      }
      if (baseline <= 0) continue;
      const key = `${type}|${categoryId}`;
      const entry = sums.get(key) ?? { event: 0, baseline: 0, series: new Set<number>() };
      entry.event += event;
      entry.baseline += baseline;
      entry.series.add(index);
      sums.set(key, entry);
    }
  });
  return [...sums.entries()].map(([key, v]) => {
    const [type, category] = key.split("|") as [string, string];
    return {
      type,
      categoryId: Number(category),
      effectPct: (v.event / v.baseline - 1) * 100,
      series: v.series.size,
    };
  });
}
