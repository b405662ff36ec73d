import { emptySuggestion } from "../../../src/domain/replenishment/empty-suggestion.js";
import { safetyStockShortfall } from "../../../src/domain/replenishment/safety-stock-warning.js";
import { shelfLifeOutcome } from "../../../src/domain/replenishment/shelf-life-outcome.js";
import { missedWhileWaiting } from "../../../src/domain/replenishment/waiting-for-orders.js";
import type { AlertView } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

/**
 * What to say beside the suggested quantity, in a few words each: what the shelf life did to it,
 * else, on a flagged row with nothing to order, what already covers its target date; then the
 * sales it leaves missed while the shelf waits for goods on order due later, and whether it leaves
 * the stock under the shop's own safety stock. The domain functions decide, for
 * `optiflow alerts critical` too.
 */
export function useSuggestedNotes(): (a: AlertView, orderPolicy: string | null) => string[] {
  const { t, date, number } = useI18n();
  const quantityNote = (a: AlertView, orderPolicy: string | null): string | null => {
    switch (shelfLifeOutcome(a.quantityNotes, orderPolicy)) {
      case "blocked":
        return t("suggestedBlockedByShelfLife");
      case "capped":
        return t("suggestedCappedByShelfLife");
      case "exceeds":
        return t("suggestedExceedsShelfLife");
      case null:
        break;
    }
    switch (emptySuggestion(a, orderPolicy)) {
      case "covered_with_orders":
        return t("suggestedCoveredWithOrders", { date: date(a.targetDate) });
      case "covered_by_stock":
        return t("suggestedCoveredByStock", { date: date(a.targetDate) });
      case null:
        return null;
    }
  };
  return (a, orderPolicy) => {
    const safety = safetyStockShortfall(a.quantityNotes, orderPolicy);
    const safetyNote =
      safety === null
        ? null
        : t("suggestedBelowSafetyStock", { quantity: number(safety, 2), date: date(a.targetDate) });
    const missed = missedWhileWaiting(a.quantityNotes, orderPolicy);
    const missedNote =
      missed === null
        ? null
        : t("suggestedMissedWhileWaiting", {
            units: `${number(missed.units, 1)} ${a.unit}`,
            from: date(missed.from),
            until: date(missed.until),
          });
    return [quantityNote(a, orderPolicy), missedNote, safetyNote].filter(
      (n): n is string => n !== null,
    );
  };
}
