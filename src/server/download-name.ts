import { withoutAccents } from "../app/text-search.js";

/**
 * An export's file name: what it is, the store, article, level or search it was filtered on, and
 * the published day, so that two downloads are not taken for one another
 * (`alertes-MAG01-critique-2026-12-05.csv`). The retailer's codes and the search are free text:
 * only what is safe in a header's quoted file name is kept.
 */
export function downloadFileName(
  kind: string,
  filters: readonly (string | null | undefined)[],
  today: string,
): string {
  const parts = filters
    .filter((p): p is string => Boolean(p))
    // "glacé" as "glace", not "glac_": accents off first.
    .map((p) => withoutAccents(p).replace(/[^\w.-]+/g, "_"));
  return `${[kind, ...parts, today].join("-")}.csv`;
}
