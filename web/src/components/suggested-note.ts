import { emptySuggestion } from "../../../src/domain/replenishment/empty-suggestion.js";
import { shelfLifeOutcome } from "../../../src/domain/replenishment/shelf-life-outcome.js";
import type { AlertView } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

/**
 * What the shelf life did to the suggested quantity, or says of it, in a few words; else, on a
 * flagged row with nothing to order, what already covers its target date; else null
 * (`shelfLifeOutcome` and `emptySuggestion` decide, for `optiflow alerts critical` too).
 */
export function useSuggestedNote(): (a: AlertView, orderPolicy: string | null) => string | null {
  const { t, date } = useI18n();
  return (a, orderPolicy) => {
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
}
