/**
 * ABC/XYZ (SPEC §4). ABC by the value of sales over 52 weeks, per store: A = the articles making
 * the top 80% of the value, B the next 15%, C the rest. XYZ by how predictable the article is:
 * the weekly WAPE of its forecast on the held-out window (the honest error, held-out.ts).
 */
export type AbcClass = "A" | "B" | "C";
export type XyzClass = "X" | "Y" | "Z";

export const ABC_SHARES = { a: 0.8, b: 0.95 } as const;
/** Weekly WAPE bounds: X up to 30%, Y up to 60%, Z beyond (or unknown: no held-out window). */
export const XYZ_BOUNDS = { x: 0.3, y: 0.6 } as const;

/**
 * Classes of one store's articles from their sales value. An article is A while the value of
 * the articles before it (by decreasing value) is under 80% of the total, B under 95%, else C;
 * an article that sold nothing is C. Ties keep the input order.
 */
export function abcClasses<K>(items: readonly { key: K; value: number }[]): Map<K, AbcClass> {
  const sorted = items
    .map((item, index) => ({ ...item, value: Math.max(0, item.value || 0), index }))
    .sort((a, b) => b.value - a.value || a.index - b.index);
  const total = sorted.reduce((sum, i) => sum + i.value, 0);
  const classes = new Map<K, AbcClass>();
  let before = 0;
  for (const item of sorted) {
    const share = total > 0 ? before / total : 1;
    classes.set(
      item.key,
      item.value <= 0 ? "C" : share < ABC_SHARES.a ? "A" : share < ABC_SHARES.b ? "B" : "C",
    );
    before += item.value;
  }
  return classes;
}

export function xyzClass(heldOutWape: number | null): XyzClass {
  if (heldOutWape === null || !Number.isFinite(heldOutWape)) return "Z";
  return heldOutWape <= XYZ_BOUNDS.x ? "X" : heldOutWape <= XYZ_BOUNDS.y ? "Y" : "Z";
}

/** Service levels per ABC class (SPEC §4 defaults 98/95/90%, settings service_level_a|b|c). */
export interface ServiceLevels {
  A: number;
  B: number;
  C: number;
}

export const DEFAULT_SERVICE_LEVELS: ServiceLevels = { A: 0.98, B: 0.95, C: 0.9 };
