import type { Logger } from "pino";
import type { LegacyArticle, LegacyStore } from "../data/legacy/read-catalog.js";
import type { RecentActivity } from "../data/legacy/read-stock.js";
import type { Db } from "../data/open.js";
import type { Country } from "../domain/calendar/store-events.js";
import type { SeriesResult } from "../domain/forecast/forecast-store.js";
import type { ServiceLevels } from "../domain/replenishment/abc-xyz.js";
import type { AlertAssessment } from "../domain/replenishment/alert-level.js";
import type { OpenOrderLine } from "../domain/replenishment/stock-position.js";
import type { OrderPolicy } from "../domain/settings/settings.js";
import type { LoadedSeries } from "./load-series.js";
import type { WeekSales } from "./scored-weeks.js";

/** How far back step 2 reads sales: about three years (SPEC §2), what every model sees. */
export const HISTORY_DAYS = 3 * 365;

export interface BatchSettings {
  marginPct: number;
  countOpenOrders: boolean;
  /** Whose public holidays enter the calendars (SPEC §5), unless the legacy events list them. */
  country: Country;
  /** Which quantity the suggestions use (SPEC §4), and the service level per ABC class. */
  orderPolicy: OrderPolicy;
  serviceLevels: ServiceLevels;
  /** Yearly cost of holding stock as a share of its value (the savings). */
  carryingCostRate: number;
  horizonDays: number;
  historyDays: number;
}

/** A forecast as the later steps use it: daily means from today, with its distribution. */
export type StoredForecast = SeriesResult;

/** What the steps share during one run. Filled step by step; a step reads what its dependencies wrote. */
export interface BatchContext {
  db: Db;
  runId: number;
  today: number;
  todayIso: string;
  /** Step 2 reads three years from the legacy tables instead of its cache and the recent weeks. */
  fullHistory: boolean;
  now: () => Date;
  settings: BatchSettings;
  logger: Logger;
  progress: (label: string, done: number, total: number) => void;
  stores: LegacyStore[];
  articles: Map<number, LegacyArticle>;
  series: LoadedSeries[];
  forecasts: Map<string, StoredForecast>;
  /** The last complete weeks' sales per series, from the history step 2 read (steps 5 and B). */
  weekSales?: WeekSales;
  alerts: Map<
    string,
    AlertAssessment & {
      stock: number;
      onHand: number;
      onOrder: number;
      leadTime: number;
      /** Forecast sales the shelf cannot make before an order placed today arrives (units). */
      salesLost: number;
    }
  >;
  /**
   * Step 4: the forecast sales its suggested quantity (the order policy's), ordered today, keeps
   * from being lost up to its target date (units).
   */
  salesKept: Map<string, number>;
  onHand: Map<string, number>;
  openOrders: Map<string, OpenOrderLine[]>;
  activity: Map<string, RecentActivity>;
}

export interface BatchStep {
  id: string;
  name: string;
  /** Steps whose failure makes this one meaningless: it is then skipped, with the reason. */
  needs: readonly string[];
  /**
   * Runs beside the following steps instead of in turn: its work is on worker threads and no
   * step reads what it leaves in the context. It starts once step `after` has settled (so that
   * its threads do not share the cores with that step's own) and fills the core the main thread
   * leaves idle while it works alone; a step that needs it waits for it, and so does publication.
   */
  alongside?: { after: string };
  run(ctx: BatchContext): Promise<Record<string, unknown>> | Record<string, unknown>;
}
