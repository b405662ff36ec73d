import { DeliveryLines } from "../../domain/replenishment/delivery-lines.js";
import type { DeliveryRecord } from "../../domain/replenishment/observed-lead-time.js";
import type { Db } from "../open.js";
import { createDayParser } from "./day-cache.js";

/** A line's quantity as a number, 0 when it is not one (NULL, text): what the statistics use. */
const NUMBER_OR_ZERO = "CASE WHEN typeof(quantite) IN ('integer', 'real') THEN quantite ELSE 0 END";

/**
 * The "article:quantity,…" list SQLite packs per order or reception: a few thousand rows cross
 * into JavaScript instead of hundreds of thousands of lines. SQLite writes a real with 15
 * significant digits, ample for a quantity. Whole numbers, nearly every pair, are read digit by
 * digit: a year of a chain's lines is millions of pairs, and two substrings per pair were
 * hundreds of megabytes of garbage.
 */
function forEachPair(packed: string, onPair: (article: number, quantity: number) => void): void {
  let start = 0;
  while (start < packed.length) {
    let end = packed.indexOf(",", start);
    if (end < 0) end = packed.length;
    const colon = packed.indexOf(":", start);
    const quantity = wholeNumber(packed, colon + 1, end) ?? Number(packed.slice(colon + 1, end));
    const article = wholeNumber(packed, start, colon) ?? Number(packed.slice(start, colon));
    onPair(article, Number.isFinite(quantity) ? quantity : 0);
    start = end + 1;
  }
}

const ZERO = 48;
const NINE = 57;
const MINUS = 45;

/** The digits of `text` in [from, to) as a number, null when they are not a plain integer. */
function wholeNumber(text: string, from: number, to: number): number | null {
  const negative = text.charCodeAt(from) === MINUS;
  const first = negative ? from + 1 : from;
  // Past 15 digits a double loses units: those go through Number().
  if (first >= to || to - first > 15) return null;
  let value = 0;
  for (let i = first; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < ZERO || code > NINE) return null;
    value = value * 10 + (code - ZERO);
  }
  return negative ? -value : value;
}

interface Arrival {
  day: number;
  quantity: number;
}

/**
 * Past purchase orders and their receptions since `fromIso`, per order and per order line: what
 * observed lead times are computed from. The legacy tables index neither the order id of order
 * lines nor the reception id of reception lines: a join from the orders made SQLite build an
 * automatic index over every order line on every run. The headers are read first; the line
 * tables are scanned once, each line kept when its header is in the period (an IN list SQLite
 * filters with a Bloom filter, cheaper than a primary-key lookup per line), and packed per order
 * or reception.
 */
export function readDeliveries(
  db: Db,
  fromIso: string,
): { orders: DeliveryRecord[]; lines: DeliveryLines } {
  const lineArrivals = readArrivals(db, fromIso);
  const orders: DeliveryRecord[] = [];
  const ordersById = new Map<number, DeliveryRecord>();
  const toDay = createDayParser();
  const rows = db
    .prepare(
      "SELECT id, fournisseur_id, date_commande, statut FROM commandes WHERE date_commande >= ? ORDER BY id",
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, number, string, string]>;
  for (const [order, supplierId, date, status] of rows) {
    const orderedOn = toDay(date);
    if (orderedOn === null) continue;
    const record = {
      supplierId,
      articleId: null,
      orderedOn,
      receivedOn: lineArrivals.first.get(order) ?? null,
      status,
    };
    orders.push(record);
    ordersById.set(order, record);
  }
  // Lines order by order, as the headers come: the statistics take them in that order.
  const lines = new DeliveryLines();
  const lineRows = db
    .prepare(
      `SELECT commande_id, group_concat(article_id || ':' || ${NUMBER_OR_ZERO}) FROM lignes_commande
       WHERE commande_id IN (SELECT id FROM commandes WHERE date_commande >= ?) AND typeof(article_id) = 'integer'
       GROUP BY commande_id ORDER BY commande_id`,
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, string]>;
  for (const [order, packed] of lineRows) {
    const header = ordersById.get(order);
    if (!header) continue;
    const receptions = lineArrivals.byOrder.get(order);
    const arrivals = receptions ? arrivalsOf(receptions) : undefined;
    forEachPair(packed, (article, quantity) => {
      const arrived = arrivals?.get(article);
      lines.push({
        supplierId: header.supplierId,
        articleId: article,
        orderedOn: header.orderedOn,
        receivedOn: arrived?.day ?? null,
        status: header.status,
        ordered: quantity,
        received: arrived?.quantity ?? 0,
      });
    });
  }
  return { orders, lines };
}

/**
 * Per order, its first reception day and its receptions' packed lines, unparsed: a year of a
 * chain's receptions is millions of lines, kept as one short string per reception until their
 * order's lines are read (`arrivalsOf`), instead of an object per line for the whole reading.
 */
function readArrivals(db: Db, fromIso: string) {
  const toDay = createDayParser();
  const first = new Map<number, number>();
  const receptions = new Map<number, { order: number; day: number }>();
  const headers = db
    .prepare(
      "SELECT id, commande_id, date_reception FROM receptions WHERE commande_id IS NOT NULL AND date_reception >= ?",
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, number, string]>;
  for (const [id, order, date] of headers) {
    const day = toDay(date);
    if (day === null) continue;
    receptions.set(id, { order, day });
    const seen = first.get(order);
    if (seen === undefined || day < seen) first.set(order, day);
  }
  const byOrder = new Map<number, PackedReception[]>();
  const lines = db
    .prepare(
      `SELECT reception_id, group_concat(article_id || ':' || ${NUMBER_OR_ZERO}) FROM lignes_reception
       WHERE reception_id IN (SELECT id FROM receptions WHERE commande_id IS NOT NULL AND date_reception >= ?)
         AND typeof(article_id) = 'integer'
       GROUP BY reception_id`,
    )
    .raw(true)
    .iterate(fromIso) as Iterable<[number, string]>;
  for (const [receptionId, packed] of lines) {
    const reception = receptions.get(receptionId);
    if (!reception) continue;
    const list = byOrder.get(reception.order);
    if (list) list.push({ day: reception.day, packed });
    else byOrder.set(reception.order, [{ day: reception.day, packed }]);
  }
  return { first, byOrder };
}

interface PackedReception {
  day: number;
  /** "article:quantity,…" */
  packed: string;
}

/** An order's receptions per article: the first day, and the units received over all of them. */
function arrivalsOf(receptions: readonly PackedReception[]): Map<number, Arrival> {
  const byArticle = new Map<number, Arrival>();
  for (const reception of receptions)
    forEachPair(reception.packed, (article, quantity) => {
      const seen = byArticle.get(article);
      if (seen) {
        seen.day = Math.min(seen.day, reception.day);
        seen.quantity += quantity;
      } else byArticle.set(article, { day: reception.day, quantity });
    });
  return byArticle;
}
