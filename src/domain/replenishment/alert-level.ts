export type AlertLevel = "CRITIQUE" | "ATTENTION" | "OK" | "SANS_PREVISION";

export interface AlertAssessment {
  level: AlertLevel;
  /** Σ F(d) for d = t … t+L−1. */
  salesWithinLeadTime: number;
  /** stock_actuel − ventes_prevues_delai. */
  remaining: number;
  /** 3 × ventes_prevues_delai / L. */
  threeDaySales: number;
}

/**
 * SPEC §4 alert level. `forecast[0]` is today's forecast (the batch runs at 00:30 of t).
 * Without a forecast the article is "no forecast", never OK.
 */
export function assessAlert(
  stock: number,
  forecast: ArrayLike<number> | null,
  leadTime: number,
): AlertAssessment {
  if (forecast === null || forecast.length === 0) {
    return {
      level: "SANS_PREVISION",
      salesWithinLeadTime: Number.NaN,
      remaining: Number.NaN,
      threeDaySales: Number.NaN,
    };
  }
  let salesWithinLeadTime = 0;
  for (let d = 0; d < leadTime && d < forecast.length; d++)
    salesWithinLeadTime += forecast[d] as number;
  const remaining = stock - salesWithinLeadTime;
  const threeDaySales = (3 * salesWithinLeadTime) / leadTime;
  const level: AlertLevel =
    remaining < 0 ? "CRITIQUE" : remaining < threeDaySales ? "ATTENTION" : "OK";
  return { level, salesWithinLeadTime, remaining, threeDaySales };
}
