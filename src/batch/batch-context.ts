import type { Logger } from "pino";
import type { LegacyArticle, LegacyStore } from "../data/legacy/read-catalog.js";
import type { RecentActivity } from "../data/legacy/read-stock.js";
import type { Db } from "../data/open.js";
import type { SeriesForecast } from "../domain/forecast/select-model.js";
import type { AlertAssessment } from "../domain/replenishment/alert-level.js";
import type { OpenOrderLine } from "../domain/replenishment/stock-position.js";
import type { LoadedSeries } from "./load-series.js";

export interface BatchSettings {
  marginPct: number;
  countOpenOrders: boolean;
  horizonDays: number;
  historyDays: number;
}

/** A forecast as the later steps use it: daily means from today, with its distribution. */
export interface StoredForecast
  extends Pick<SeriesForecast, "model" | "phi" | "backtest" | "demandClass"> {
  mean: Float64Array;
  /** The factor `mean` was rescaled by after selection (calibration.ts); 1 when it was not. */
  calibration: number;
}

/** What the steps share during one run. Filled step by step; a step reads what its dependencies wrote. */
export interface BatchContext {
  db: Db;
  runId: number;
  today: number;
  todayIso: string;
  now: () => Date;
  settings: BatchSettings;
  logger: Logger;
  progress: (label: string, done: number, total: number) => void;
  stores: LegacyStore[];
  articles: Map<number, LegacyArticle>;
  series: LoadedSeries[];
  forecasts: Map<string, StoredForecast>;
  alerts: Map<
    string,
    AlertAssessment & { stock: number; onHand: number; onOrder: number; leadTime: number }
  >;
  onHand: Map<string, number>;
  openOrders: Map<string, OpenOrderLine[]>;
  activity: Map<string, RecentActivity>;
}

export interface BatchStep {
  id: string;
  name: string;
  /** Steps whose failure makes this one meaningless: it is then skipped, with the reason. */
  needs: readonly string[];
  run(ctx: BatchContext): Promise<Record<string, unknown>> | Record<string, unknown>;
}
