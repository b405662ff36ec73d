import { useI18n } from "../i18n/i18n.js";

/**
 * The stock expected when a delivery ordered today arrives, in the manager's words: below zero it
 * is sales the shelf will miss ("il manquera 17,4 u"), not a stock of "−17,4". Used by the
 * calculator and the Dashboard's urgencies.
 */
export function useStockAtDelivery(): (lead: number, stock: number, unit?: string) => string {
  const { t, number } = useI18n();
  return (lead, stock, unit) =>
    stock < 0
      ? t("shortfallAtDelivery", {
          lead,
          missing: `${number(-stock, 1)}${unit ? ` ${unit}` : ""}`,
        })
      : t("stockAtDelivery", { lead, stock: number(stock, 1) });
}
