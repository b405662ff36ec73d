import { useI18n } from "../i18n/i18n.js";

/**
 * Beside an on-hand figure below zero: the legacy stock says so, Optiflow keeps it as it is (the
 * alert and the quantities count it) and the data checks list it; the manager should know the
 * shelf needs counting rather than read it as units owed.
 */
export function NegativeStockNote() {
  const { t } = useI18n();
  return (
    <span className="muted" data-testid="negative-on-hand">
      {" "}
      ({t("negativeOnHand")})
    </span>
  );
}
