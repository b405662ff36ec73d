import { useI18n } from "../i18n/i18n.js";

/**
 * Beside goods on order whose expected day has passed: "livraison en retard". The batch still
 * counts them as due today (SPEC §4's stock position), so the page says what that figure hopes.
 */
export function LateDelivery() {
  const { t } = useI18n();
  return (
    <strong className="late-delivery" data-testid="late-delivery">
      {t("lateDelivery")}
    </strong>
  );
}
