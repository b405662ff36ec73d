import { type Checksum, type DateSegment, sameChecksum } from "../data/legacy/history-checksum.js";
import type { Db } from "../data/open.js";
import {
  advanceHistoryCache,
  type DaysToFreeze,
  type FrozenHistory,
  type HistoryCacheHeader,
  readFrozenHistory,
  readHistoryCacheHeader,
} from "../data/optiflow/history-cache-repository.js";
import { isoFromDay } from "../domain/calendar/days.js";
import { saveHistoryCacheBeside } from "./history-cache-in-worker.js";
import {
  type HistoryRead,
  type HistoryWindow,
  readHistoryShares,
  type SalesHistory,
  withRuptures,
} from "./read-history-in-workers.js";

/**
 * Days re-read from the legacy tables every night: recent corrections are common. Each night
 * that runs for a later day moves the cache's frozen end forward to keep the re-read days at
 * this: the cache is stored in blocks of days, so only its last block is written again and the
 * blocks the window left are deleted (history-cache-repository.ts).
 */
export const TAIL_DAYS = 28;

export interface HistoryReport {
  mode: "incremental" | "full";
  /** Why a full reading was needed (null when incremental). */
  reason: string | null;
  /** First day read from the legacy sales rows. */
  readFrom: string;
  frozenEnd: string;
  refrozen: boolean;
}

export interface HistoryReading {
  history: SalesHistory;
  report: HistoryReport;
  /**
   * Settles once the cache holds this reading (at once when it needed no rewrite); rejects if
   * storing it failed. The history's arrays must stay unchanged until then.
   */
  cacheWritten: Promise<void>;
}

/**
 * Step 2's history, read incrementally: the days before the cache's frozen end come from
 * Optiflow's own packed copy once the legacy rows they were read from are proven unchanged
 * (checksums computed in the same worker scans as the recent weeks' reading); only the days
 * after it are read from `ventes` and `stocks_historique`. Anything it cannot prove — no
 * cache, `--full`, another window, a changed old row — means a full reading, which refreshes
 * the cache. `ruptures` (small) is read whole every time. The result equals a full reading.
 */
export async function readHistory(
  db: Db,
  window: HistoryWindow,
  options: { full: boolean; builtAt: string },
): Promise<HistoryReading> {
  const header = options.full ? null : readHistoryCacheHeader(db);
  let reason = options.full ? "asked for (--full)" : cacheProblem(header, window);
  if (header && reason === null) {
    const incremental = await readIncrementally(db, window, header, options.builtAt);
    if (incremental) return incremental;
    reason = `sales or stock rows before ${isoFromDay(header.frozenEnd)} changed since ${header.builtAt}`;
  }
  const frozenEnd = window.endDay - TAIL_DAYS;
  const segment = { fromIso: window.firstIso, toIso: isoFromDay(frozenEnd) };
  const read = await readHistoryShares(db, { ...window, recentOnly: false, segments: [segment] });
  const cacheWritten =
    frozenEnd > window.firstDay
      ? saveHistoryCacheBeside(
          db,
          headerOf(read, window, frozenEnd, 0, options.builtAt),
          daysOf(read, window, window.firstDay, frozenEnd),
        )
      : Promise.resolve();
  const stockOuts = whileReading(cacheWritten, () => withRuptures(db, window, read.emptyStockDays));
  return {
    cacheWritten,
    history: { sales: read.sales, stockOuts, spare: read.spare },
    report: {
      mode: "full",
      reason,
      readFrom: window.firstIso,
      frozenEnd: isoFromDay(frozenEnd),
      refrozen: true,
    },
  };
}

function cacheProblem(header: HistoryCacheHeader | null, window: HistoryWindow): string | null {
  if (!header) return "no history cache yet (first night, or after a restore)";
  if (header.firstDay > window.firstDay) return "the history window now starts before the cache";
  if (header.frozenEnd > window.endDay) return "the cache holds days after this run's date";
  if (header.frozenEnd <= window.firstDay) return "the cache is older than the history window";
  return null;
}

async function readIncrementally(
  db: Db,
  window: HistoryWindow,
  header: HistoryCacheHeader,
  builtAt: string,
): Promise<HistoryReading | null> {
  const newFrozenEnd = window.endDay - TAIL_DAYS;
  const refreeze = newFrozenEnd > header.frozenEnd;
  const segments: DateSegment[] = [
    { fromIso: isoFromDay(header.firstDay), toIso: isoFromDay(header.frozenEnd) },
  ];
  // The new frozen part's checksum comes from the same scans: refreezing costs no extra pass.
  if (refreeze) segments.push({ fromIso: window.firstIso, toIso: isoFromDay(newFrozenEnd) });
  const tailWindow = {
    firstDay: header.frozenEnd,
    endDay: window.endDay,
    firstIso: isoFromDay(header.frozenEnd),
    endIso: window.endIso,
  };
  const reading = readHistoryShares(db, { ...tailWindow, recentOnly: true, segments });
  // This thread unpacks the cache while the worker threads scan the legacy tables; the cache
  // is dropped if their checksums find it stale.
  const length = window.endDay - window.firstDay;
  const frozen = whileReading(reading, () =>
    readFrozenHistory(db, header, window.firstDay, length),
  );
  const tail = await reading;
  if (
    !sameChecksum(tail.salesChecksums[0] as Checksum, header.salesChecksum) ||
    !sameChecksum(tail.stockChecksums[0] as Checksum, header.stockChecksum)
  )
    return null;
  const read = compose(window, frozen, tail);
  // The new frozen part's checksums are the tail reading's second segment.
  if (refreeze)
    advanceHistoryCache(
      db,
      headerOf(read, window, newFrozenEnd, 1, builtAt),
      daysOf(read, window, header.frozenEnd, newFrozenEnd),
    );
  return {
    // A few weeks at most: written here.
    cacheWritten: Promise.resolve(),
    history: { sales: read.sales, stockOuts: withRuptures(db, window, read.emptyStockDays) },
    report: {
      mode: "incremental",
      reason: null,
      readFrom: tailWindow.firstIso,
      frozenEnd: isoFromDay(refreeze ? newFrozenEnd : header.frozenEnd),
      refrozen: refreeze,
    },
  };
}

/**
 * `work`, done while `pending` runs (a reading, the cache's storing): if it throws, a later
 * failure of `pending` is not left unhandled.
 */
function whileReading<T>(pending: Promise<unknown>, work: () => T): T {
  try {
    return work();
  } catch (error) {
    pending.catch(() => undefined);
    throw error;
  }
}

/**
 * The window's history: the cached days (read into window-long arrays) and the tail after
 * them. The tail's checksums are kept: a refreeze takes the new frozen part's from them.
 */
function compose(window: HistoryWindow, frozen: FrozenHistory, tail: HistoryRead): HistoryRead {
  const length = window.endDay - window.firstDay;
  const frozenLength = frozen.header.frozenEnd - window.firstDay;
  const series = frozen.sales;
  for (const [key, recent] of tail.sales.series) {
    let values = series.get(key);
    if (!values) {
      values = new Float64Array(length);
      series.set(key, values);
    }
    values.set(recent, frozenLength);
  }
  const storeDays = new Map<number, Set<string>>();
  for (const [storeId, open] of frozen.openDays) {
    const dates = new Set<string>();
    for (let i = 0; i < frozenLength; i++)
      if (open[i] === 1) dates.add(isoFromDay(window.firstDay + i));
    storeDays.set(storeId, dates);
  }
  for (const [storeId, dates] of tail.sales.storeDays) {
    const set = storeDays.get(storeId) ?? new Set<string>();
    for (const date of dates) set.add(date);
    storeDays.set(storeId, set);
  }
  const emptyStockDays = frozen.emptyStockDays;
  for (const [key, days] of tail.emptyStockDays)
    emptyStockDays.set(key, [...(emptyStockDays.get(key) ?? []), ...days]);
  return {
    sales: { series, storeDays },
    // The tail's few weeks are not worth handing on (the cache's arrays are not shared memory).
    spare: [],
    emptyStockDays,
    salesChecksums: tail.salesChecksums,
    stockChecksums: tail.stockChecksums,
  };
}

/**
 * The cache's header for the days [window.firstDay, frozenEnd), whose checksums are the
 * reading's `segment`-th date segment's.
 */
function headerOf(
  read: HistoryRead,
  window: HistoryWindow,
  frozenEnd: number,
  segment: number,
  builtAt: string,
): HistoryCacheHeader {
  return {
    firstDay: window.firstDay,
    frozenEnd,
    salesChecksum: read.salesChecksums[segment] as Checksum,
    stockChecksum: read.stockChecksums[segment] as Checksum,
    builtAt,
  };
}

/** The days [from, to) of a window's reading, to be stored in the cache. */
function daysOf(read: HistoryRead, window: HistoryWindow, from: number, to: number): DaysToFreeze {
  return {
    origin: window.firstDay,
    from,
    to,
    sales: read.sales.series,
    emptyStockDays: read.emptyStockDays,
    storeDays: read.sales.storeDays,
  };
}
