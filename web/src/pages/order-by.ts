import { addDays } from "../../../src/domain/calendar/days.js";
import type { AlertView } from "../api/client.js";

/** Within two weeks, the day to order by is worth reading on any row. */
const SOON_DAYS = 14;

/**
 * The day the Alerts table shows under "Commander avant le", or null. Every row has one; beyond
 * the next two weeks it is noise on a row with nothing to order, but a row that suggests a
 * quantity keeps it: a quantity without its day reads as an order to place now.
 */
export function orderByShown(
  a: Pick<AlertView, "orderBy" | "suggestedQty">,
  today: string,
): string | null {
  if (!a.orderBy) return null;
  if ((a.suggestedQty ?? 0) > 0) return a.orderBy;
  return a.orderBy <= addDays(today, SOON_DAYS) ? a.orderBy : null;
}
