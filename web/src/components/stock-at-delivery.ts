import { useI18n } from "../i18n/i18n.js";

/**
 * The stock expected when a delivery ordered today arrives, in the manager's words. Where the
 * shelf empties before then, the forecast sales it will miss (`salesLost`: each order on its way
 * counted on its day, lost sales), not SPEC §4's shortfall: that one treats every order due
 * within the lead time as arriving today and the missing sales as owed, and said "3 u short" for
 * a shelf empty for a week before 120 units came. Without `salesLost` (a run published before it
 * was kept), a stock below zero is still said as sales missed ("il manquera 17,4 u"), not a stock
 * of "−17,4". Used by the calculator and the Dashboard's urgencies.
 */
export function useStockAtDelivery(): (
  lead: number,
  stock: number,
  unit?: string,
  salesLost?: number,
) => string {
  const { t, number } = useI18n();
  const units = (value: number, unit?: string) => `${number(value, 1)}${unit ? ` ${unit}` : ""}`;
  return (lead, stock, unit, salesLost) => {
    if (salesLost !== undefined && salesLost > 0)
      return t("salesLostBeforeDelivery", { lead, lost: units(salesLost, unit) });
    return stock < 0
      ? t("shortfallAtDelivery", { lead, missing: units(-stock, unit) })
      : t("stockAtDelivery", { lead, stock: number(stock, 1) });
  };
}
