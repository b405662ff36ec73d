import type { FormatNumber, Translate } from "../i18n/messages.js";

/**
 * The stock expected when a delivery ordered today arrives, in the manager's words. Where the
 * shelf empties before then, the forecast sales it will miss (`salesLost`: each order on its way
 * counted on its day, lost sales), not SPEC §4's shortfall: that one treats every order due
 * within the lead time as arriving today and the missing sales as owed, and said "3 u short" for
 * a shelf empty for a week before 120 units came. Those lost sales are not taken from the order
 * on its way: what it leaves at the delivery is said too, as the brief's formula orders for them.
 * Without `salesLost` (a run published before it was kept), a stock below zero is still said as
 * sales missed ("il manquera 17,4 u"), not a stock of "−17,4"; with it, a stock below zero and
 * no sale lost is the data's negative on-hand figure, said as it is.
 */
export function stockAtDeliveryText(
  t: Translate,
  number: FormatNumber,
  lead: number,
  stock: number,
  unit?: string,
  salesLost?: number,
): string {
  // A loss under 0.05 is still a loss: "0 u de ventes perdues" on a critical row reads as none.
  const amount = (value: number) =>
    value > 0 && value < 0.05 ? `< ${number(0.1, 1)}` : number(value, 1);
  const units = (value: number) => `${amount(value)}${unit ? ` ${unit}` : ""}`;
  if (salesLost !== undefined && salesLost > 0) {
    // SPEC's stock at delivery plus the sales it counted and the shelf could not make.
    const left = stock + salesLost;
    return left >= 0.05
      ? t("salesLostThenStock", { lead, lost: units(salesLost), left: units(left) })
      : t("salesLostBeforeDelivery", { lead, lost: units(salesLost) });
  }
  // Below zero with no sale lost, the figure is the data's negative on-hand stock, said as is.
  return stock < 0 && salesLost === undefined
    ? t("shortfallAtDelivery", { lead, missing: units(-stock) })
    : t("stockAtDelivery", { lead, stock: number(stock, 1) });
}
