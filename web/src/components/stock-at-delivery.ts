import { useI18n } from "../i18n/i18n.js";
import { stockAtDeliveryText } from "./stock-at-delivery-text.js";

/** stockAtDeliveryText in the page's language: the calculator's and the Dashboard's urgencies'. */
export function useStockAtDelivery(): (
  lead: number,
  stock: number,
  unit?: string,
  salesLost?: number,
) => string {
  const { t, number } = useI18n();
  return (lead, stock, unit, salesLost) =>
    stockAtDeliveryText(t, number, lead, stock, unit, salesLost);
}
