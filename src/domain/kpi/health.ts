/** SPEC §4 and §6 step 6: alert counts, stock value, rotation. */
export interface HealthKpis {
  alerts: Record<"CRITIQUE" | "ATTENTION" | "OK" | "SANS_PREVISION", number>;
  stockValue: number;
  articlesWithoutPurchasePrice: number;
  rotation: number | null;
  sold30: number;
  averageStock30: number;
}

export interface HealthInput {
  level: string;
  onHand: number;
  purchasePrice: number | null;
  sold30: number;
  averageStock30: number | null;
}

export function healthKpis(rows: readonly HealthInput[]): HealthKpis {
  const alerts = { CRITIQUE: 0, ATTENTION: 0, OK: 0, SANS_PREVISION: 0 };
  let stockValue = 0;
  let withoutPrice = 0;
  let sold30 = 0;
  let averageStock30 = 0;
  for (const r of rows) {
    if (r.level in alerts) alerts[r.level as keyof typeof alerts]++;
    // Negative legacy stock is an error, not a liability: it does not reduce the value.
    if (r.purchasePrice === null) withoutPrice++;
    else stockValue += Math.max(0, r.onHand) * r.purchasePrice;
    sold30 += Math.max(0, r.sold30);
    averageStock30 += Math.max(0, r.averageStock30 ?? 0);
  }
  return {
    alerts,
    stockValue,
    articlesWithoutPurchasePrice: withoutPrice,
    // taux = ventes_30j / stock_moyen_30j
    rotation: averageStock30 > 0 ? sold30 / averageStock30 : null,
    sold30,
    averageStock30,
  };
}
