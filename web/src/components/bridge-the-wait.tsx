import { roundToPack } from "../../../src/domain/replenishment/order-quantity.js";
import type { QuantityCalculation } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

/**
 * Where the brief's formula orders nothing because an order on its way covers the target date in
 * total, while the shelf stands empty until it comes (note `sales_missed_while_waiting`): the
 * quantity that carries the shelf through that wait, the sales it would miss rounded up to the
 * pack and the minimum, one click from the draft order. The formula's quantity stays as it is
 * (SPEC §4); the manager chooses. Nothing when the formula already orders, or nothing is missed.
 */
export function BridgeTheWait({
  result,
  onAdd,
}: {
  result: QuantityCalculation;
  onAdd: (quantity: number) => void;
}) {
  const { t, number, date } = useI18n();
  const wait = result.notes.find((n) => n.code === "sales_missed_while_waiting");
  if (result.quantity > 0 || wait?.code !== "sales_missed_while_waiting") return null;
  const quantity = roundToPack(wait.units, result.packSize, result.minimumOrder);
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => onAdd(quantity)}
      data-testid="add-bridge"
    >
      {t("addBridge", { quantity: number(quantity, 3), date: date(wait.until) })}
    </button>
  );
}
