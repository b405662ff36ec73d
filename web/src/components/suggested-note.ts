import { shelfLifeOutcome } from "../../../src/domain/replenishment/shelf-life-outcome.js";
import type { AlertView } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

/**
 * What the shelf life did to the suggested quantity, or says of it, in a few words, or null
 * (`shelfLifeOutcome` decides which, for `optiflow alerts critical` too).
 */
export function useSuggestedNote(): (a: AlertView, orderPolicy: string | null) => string | null {
  const { t } = useI18n();
  return (a, orderPolicy) => {
    switch (shelfLifeOutcome(a.quantityNotes, orderPolicy)) {
      case "blocked":
        return t("suggestedBlockedByShelfLife");
      case "capped":
        return t("suggestedCappedByShelfLife");
      case "exceeds":
        return t("suggestedExceedsShelfLife");
      case null:
        return null;
    }
  };
}
