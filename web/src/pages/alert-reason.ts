import type { AlertView } from "../api/client.js";
import type { FormatNumber, Translate } from "../i18n/messages.js";

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
    case "ATTENTION": {
      const warning = t("reasonWarning", { left: number(a.reste, 1), unit: a.unit });
      const gap = gapBeforeDelivery(a, t);
      return gap === null ? warning : `${warning} · ${gap}`;
    }
    case "OK":
      return (
        gapBeforeDelivery(a, t) ??
        (a.daysToStockout === null ? t("reasonOkLong") : t("reasonOk", { days: a.daysToStockout }))
      );
    default:
      return t("reasonNoForecast");
  }
}

/**
 * A warning or OK row counts the orders on their way in its stock (SPEC §4), so its shelf can
 * still empty before the lead time ends only while it waits for one of them: "Covered for 2 d"
 * read as safe for a shelf empty three days before its delivery. No order placed today comes in
 * time, but the manager can chase the supplier or move stock from another store. Null otherwise.
 */
function gapBeforeDelivery(a: AlertView, t: Translate): string | null {
  const days = a.daysToStockout;
  if (days === null || days >= a.leadTime) return null;
  if (days > 0) return t("reasonGap", { days });
  return t(a.onHand > 0 ? "reasonGapToday" : "reasonGapOut");
}
