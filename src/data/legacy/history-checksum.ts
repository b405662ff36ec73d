import type { Db } from "../open.js";
import { createDayParser, seriesKey } from "./day-cache.js";
import type { RowidRange } from "./read-sales.js";

/** A range of sales dates [fromIso, toIso) whose rows a checksum covers. */
export interface DateSegment {
  fromIso: string;
  toIso: string;
}

/**
 * Exact integer sums over the rows the history reading uses: the number of rows, their rowids,
 * their quantities (to a thousandth) and identities each weighted by a rowid residue (never 0),
 * so that an edited quantity, a moved date, a row added or deleted changes the result. Sums over
 * rowid ranges add up, so worker threads can each take a share. BigInt: three years of rows
 * overflow a double's exact integers. Each term adds to the cost of the scan, so there are no
 * more of them than it takes: four for sales, three for stock.
 */
export type Checksum = bigint[];

const IDENTITY = "(article_id * 7 + magasin_id * 131 + CAST(replace(date, '-', '') AS INTEGER))";

/** The checksum of the `ventes` rows read as sales (numeric quantity) in a segment. */
export function salesChecksum(db: Db, segment: DateSegment, rows: RowidRange): Checksum {
  const values = db
    .prepare(
      `SELECT count(*), sum(rowid),
              sum(CAST(round(quantite * 1000) AS INTEGER) * (rowid % 1009 + 1)),
              sum(${IDENTITY} * (rowid % 1013 + 1))
       FROM ventes NOT INDEXED
       WHERE date >= ? AND date < ? AND typeof(quantite) IN ('integer', 'real') AND rowid >= ? AND rowid < ?`,
    )
    .safeIntegers(true)
    .raw(true)
    .get(segment.fromIso, segment.toIso, rows.from, rows.to) as (bigint | null)[];
  return values.map((v) => v ?? 0n);
}

/** The checksum of the `stocks_historique` rows read as empty-shelf days (quantity ≤ 0). */
export function emptyStockChecksum(db: Db, segment: DateSegment, rows: RowidRange): Checksum {
  return emptyStockScan(db, segment, segment.toIso, rows).checksum;
}

/**
 * One scan of `stocks_historique` (it has no date index) for both what an incremental night
 * needs from it: the checksum of the empty-shelf rows of the checked segment, and the
 * empty-shelf days from `segment.toIso` to `endIso`, packed by SQLite (few rows qualify).
 */
export function emptyStockScan(
  db: Db,
  segment: DateSegment,
  endIso: string,
  rows: RowidRange,
): { checksum: Checksum; days: Map<string, number[]> } {
  const checked = "FILTER (WHERE date < ?)";
  const values = db
    .prepare(
      `SELECT count(*) ${checked}, sum(rowid) ${checked}, sum(${IDENTITY} * (rowid % 1013 + 1)) ${checked},
              group_concat(article_id || ':' || magasin_id || ':' || date, ',') FILTER (WHERE date >= ?)
       FROM stocks_historique NOT INDEXED
       WHERE quantite <= 0 AND date >= ? AND date < ? AND rowid >= ? AND rowid < ?`,
    )
    .safeIntegers(true)
    .raw(true)
    .get(
      segment.toIso,
      segment.toIso,
      segment.toIso,
      segment.toIso,
      segment.fromIso,
      endIso,
      rows.from,
      rows.to,
    ) as [bigint | null, bigint | null, bigint | null, string | null];
  const days = new Map<string, number[]>();
  const toDay = createDayParser();
  for (const entry of values[3]?.split(",") ?? []) {
    const [articleId, storeId, date] = entry.split(":");
    const day = toDay(date);
    if (day === null) continue;
    const key = seriesKey(Number(articleId), Number(storeId));
    const list = days.get(key);
    if (list) list.push(day);
    else days.set(key, [day]);
  }
  return { checksum: values.slice(0, 3).map((v) => (v as bigint | null) ?? 0n), days };
}

export function addChecksums(a: Checksum, b: Checksum): Checksum {
  return a.map((v, i) => v + (b[i] ?? 0n));
}

export function sameChecksum(a: Checksum, b: Checksum): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
