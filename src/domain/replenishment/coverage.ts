/**
 * Days of stock cover: how many days, from today, the stock lasts at the forecast rate
 * (SPEC §6 step 10). Capped at the horizon: `null` means "beyond the horizon".
 */
export function daysOfCover(forecast: ArrayLike<number>, stock: number): number | null {
  if (stock <= 0) return 0;
  let cumulative = 0;
  for (let d = 0; d < forecast.length; d++) {
    cumulative += forecast[d] as number;
    if (cumulative > stock) return d;
  }
  return null;
}

export type CoverageClass = "RUPTURE" | "NORMAL" | "SURSTOCK" | "STOCK_MORT";

/** Dead stock: stock on hand and nothing sold for `deadDays`; overstock: cover beyond the horizon. */
export function classifyCoverage(
  stock: number,
  cover: number | null,
  daysSinceLastSale: number | null,
  deadDays = 90,
): CoverageClass {
  if (stock <= 0) return "RUPTURE";
  if (daysSinceLastSale === null || daysSinceLastSale >= deadDays) return "STOCK_MORT";
  if (cover === null) return "SURSTOCK";
  return "NORMAL";
}
