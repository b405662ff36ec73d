import { isoFromDay } from "../calendar/days.js";
import { notesInForce, type StoredQuantityNote } from "./quantity-in-force.js";
import type { Suggestion, SuggestionNote } from "./risk-aware-quantity.js";
import type { OpenOrderLine } from "./stock-position.js";
import { salesMissedWhileWaiting } from "./stockout-day.js";

/**
 * Under one unit of forecast sales, the note would speak of the forecast's own noise: a slow
 * seller's 0.3 units over a few days is no reason to call the supplier.
 */
export const MIN_MISSED_UNITS = 1;

/** Where the goods on order stand, as the batch and the calculator read them. */
export interface OrdersOnTheirWay {
  forecast: ArrayLike<number>;
  onHand: number;
  openOrders: readonly OpenOrderLine[];
  /** The batch's day (days since the epoch). */
  today: number;
  countOpenOrders: boolean;
  /** When an order placed today arrives, in days from today (the alert's planned lead time). */
  leadTime: number;
  /** The target date, in days from today. */
  targetOffset: number;
}

/**
 * Both quantities of a suggestion, each with a note when, received on the day an order placed
 * today would arrive, it still leaves the shelf missing sales while it waits for goods on order
 * due later (stockout-day.ts, `salesMissedWhileWaiting`). The brief's formula, which stays exact
 * (SPEC §4), sums the deliveries up to the target date and cannot see it: such a row read
 * "nothing to order, covered with the order on its way", and its "order by" today, while the
 * shelf would stand empty for days before that order comes.
 */
export function withWaitingNotes(suggestion: Suggestion, orders: OrdersOnTheirWay): Suggestion {
  const noted = <Q extends { quantity: number; notes: SuggestionNote[] }>(q: Q): Q => {
    const note = waitingNote(orders, q.quantity);
    return note === null ? q : { ...q, notes: [...q.notes, note] };
  };
  return { ...suggestion, margin: noted(suggestion.margin), service: noted(suggestion.service) };
}

function waitingNote(orders: OrdersOnTheirWay, quantity: number): SuggestionNote | null {
  const missed = salesMissedWhileWaiting(
    orders.forecast,
    orders.onHand,
    orders.openOrders,
    orders.today,
    orders.countOpenOrders,
    { arrival: orders.leadTime, lastDay: orders.targetOffset, quantity },
  );
  if (missed === null || missed.units < MIN_MISSED_UNITS) return null;
  return {
    code: "sales_missed_while_waiting",
    units: Math.round(missed.units * 10) / 10,
    from: isoFromDay(orders.today + missed.firstDay),
    until: isoFromDay(orders.today + missed.lateDelivery),
  };
}

type StoredNote = StoredQuantityNote & { units?: unknown; from?: unknown; until?: unknown };

/**
 * The sales the quantity in force leaves missed while the shelf waits for goods on order, as its
 * stored note says (null: none): the Alerts page, the article sheet, `optiflow alerts critical`
 * and the alert list's CSV say it beside the quantity.
 */
export function missedWhileWaiting(
  notes: readonly StoredNote[],
  orderPolicy: string | null,
): { units: number; from: string; until: string } | null {
  const note = notesInForce(notes, orderPolicy).find(
    (n) => n.code === "sales_missed_while_waiting",
  );
  if (!note) return null;
  const { units, from, until } = note;
  return typeof units === "number" && typeof from === "string" && typeof until === "string"
    ? { units, from, until }
    : null;
}
