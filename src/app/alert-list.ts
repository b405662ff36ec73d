import type { AlertsQuery } from "../contract/alerts.js";
import type { AlertView } from "../data/optiflow/published-results.js";
import { containsEveryWord } from "./text-search.js";

const LEVEL_RANK: Record<string, number> = { CRITIQUE: 0, ATTENTION: 1, OK: 2, SANS_PREVISION: 3 };
const CLASS_RANK: Record<string, number> = { A: 0, B: 1, C: 2, X: 0, Y: 1, Z: 2 };

type Key = (a: AlertView) => number | string | null;

/**
 * Keys of the Alerts page's sortable columns. "urgency" is the morning order: level, then the
 * value at risk (a watering can short by 0.1 unit comes after December champagne), then how
 * short, then the class.
 */
const KEYS: Record<NonNullable<AlertsQuery["sort"]>, Key[]> = {
  urgency: [
    (a) => LEVEL_RANK[a.level] ?? 9,
    (a) => -(a.valueAtRisk ?? 0),
    (a) => (a.ventes3j && a.ventes3j > 0 && a.reste !== null ? a.reste / a.ventes3j : null),
    (a) => CLASS_RANK[a.abc ?? "C"] ?? 9,
    (a) => a.reference,
  ],
  reference: [(a) => a.reference],
  name: [(a) => a.name.toLowerCase()],
  store: [(a) => a.storeCode],
  supplier: [(a) => a.supplier?.toLowerCase() ?? null],
  abc: [(a) => CLASS_RANK[a.abc ?? ""] ?? null, (a) => -(a.valueAtRisk ?? 0)],
  xyz: [(a) => CLASS_RANK[a.xyz ?? ""] ?? null],
  onHand: [(a) => a.onHand],
  daysOfCover: [(a) => a.daysOfCover],
  stockoutDate: [(a) => a.daysToStockout],
  valueAtRisk: [(a) => a.valueAtRisk],
  quantity: [(a) => a.suggestedQty],
};

function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  // Unknowns last, whatever the direction.
  if (a === null || (typeof a === "number" && !Number.isFinite(a))) return 1;
  if (b === null || (typeof b === "number" && !Number.isFinite(b))) return -1;
  return a < b ? -1 : 1;
}

/** Sorts the alert rows by a column (ties broken by the next keys, then the reference). */
export function sortAlerts(
  rows: readonly AlertView[],
  sort: AlertsQuery["sort"] = "urgency",
  dir: AlertsQuery["dir"] = "asc",
): AlertView[] {
  const keys = [...KEYS[sort], (a: AlertView) => a.reference, (a: AlertView) => a.storeCode];
  const sign = dir === "desc" ? -1 : 1;
  return [...rows].sort((x, y) => {
    for (const [i, key] of keys.entries()) {
      const kx = key(x);
      const ky = key(y);
      const unknown = kx === null || ky === null;
      const c = compare(kx, ky);
      // The direction applies to the chosen column only; the tie-breakers stay ascending.
      if (c !== 0) return i === 0 && !unknown ? sign * c : c;
    }
    return 0;
  });
}

/** Whether an alert is in the scope a manager chose (each filter given must match). */
export function inScope(
  a: AlertView,
  q: Pick<AlertsQuery, "store" | "category" | "supplier" | "abc" | "xyz" | "search">,
): boolean {
  return (
    (q.store === undefined || a.storeId === q.store) &&
    (q.category === undefined || a.categoryId === q.category) &&
    (q.supplier === undefined || a.supplierId === q.supplier) &&
    (q.abc === undefined || a.abc === q.abc) &&
    (q.xyz === undefined || a.xyz === q.xyz) &&
    (!q.search || matchesSearch(a, q.search))
  );
}

/** Every word of the search in the article's reference, name, supplier or category. */
export function matchesSearch(a: AlertView, search: string): boolean {
  return containsEveryWord(
    `${a.reference} ${a.name} ${a.supplier ?? ""} ${a.category ?? ""}`,
    search,
  );
}
