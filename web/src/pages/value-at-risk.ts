/**
 * A value at risk as the Alerts table and the Dashboard's urgencies show it: whole euros, but
 * cents under one euro. A critical row whose shelf empties on the eve of its delivery risks a few
 * cents, and "0 €" beside "Critique" reads as nothing at stake.
 */
export function valueAtRiskText(
  money: (value: number, digits?: number) => string,
  value: number,
): string {
  return money(value, Math.abs(value) < 1 ? 2 : 0);
}
