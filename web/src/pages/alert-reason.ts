import type { AlertView } from "../api/client.js";
import type { Messages } from "../i18n/messages.js";

type Translate = (key: keyof Messages, params?: Record<string, string | number>) => string;
type FormatNumber = (value: number | null | undefined, digits?: number) => string;

/** Why the row is at its level, in the manager's words (the Alerts page and the article sheet). */
export function alertReason(a: AlertView, t: Translate, number: FormatNumber): string {
  switch (a.level) {
    case "CRITIQUE":
      // "Out of stock" only for an empty shelf: one that still holds a few units but will not
      // last the day is running out, and the manager may still find them on it.
      if (a.daysToStockout === 0) {
        return t(a.onHand > 0 ? "reasonToday" : "reasonOut", { lead: a.leadTime });
      }
      return t("reasonCritical", { days: a.daysToStockout ?? 0, lead: a.leadTime });
    case "ATTENTION":
      return t("reasonWarning", { left: number(a.reste, 1), unit: a.unit });
    case "OK":
      return a.daysToStockout === null
        ? t("reasonOkLong")
        : t("reasonOk", { days: a.daysToStockout });
    default:
      return t("reasonNoForecast");
  }
}
