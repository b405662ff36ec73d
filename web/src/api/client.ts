import type { ArticleSheet } from "../../../src/app/article-sheet.js";
import type { QuantityCalculation } from "../../../src/app/quantity-calculation.js";
import type { AlertsQuery } from "../../../src/contract/alerts.js";
import type { FillBody } from "../../../src/contract/orders.js";
import type {
  AlertView,
  ForecastView,
  Publication,
} from "../../../src/data/optiflow/published-results.js";
import type { SettingView } from "../../../src/data/optiflow/settings-repository.js";
import type { MeasuredSavings } from "../../../src/data/optiflow/simulations-repository.js";
import type {
  DeclaredEvent,
  DraftOrderLine,
  FeedbackRecord,
} from "../../../src/data/optiflow/user-input-repository.js";
import type { FinancialKpis } from "../../../src/domain/kpi/financial.js";
import type { HealthKpis } from "../../../src/domain/kpi/health.js";
import type { PrecisionFigures } from "../../../src/domain/kpi/precision.js";
import type { ServicePromiseKpi } from "../../../src/domain/kpi/service-promise.js";
import type { PurchaseOrder } from "../../../src/domain/replenishment/purchase-order.js";
import type { DeclaredEventInput } from "../../../src/domain/user-input/declared-event.js";
import type { FeedbackInput } from "../../../src/domain/user-input/forecast-feedback.js";

/**
 * The typed client of the JSON API: the request shapes are the server's contract
 * (src/contract), the answers the server's own types, imported, not copied.
 */
export type {
  AlertsQuery,
  AlertView,
  ArticleSheet,
  DeclaredEvent,
  FeedbackRecord,
  ForecastView,
  MeasuredSavings,
  PurchaseOrder,
  QuantityCalculation,
  SettingView,
};
export type OrderLine = DraftOrderLine;
export type Published = Publication;

export interface DataCheck {
  kind: string;
  tableName: string;
  count: number;
  description: string;
  samples: unknown[];
  /** The stores a per-store check concerns (sales_gap); null otherwise or from an older run. */
  stores: string[] | null;
}

export interface AlertsResponse extends Publication {
  counts: Record<string, number>;
  total: number;
  offset: number;
  truncated: boolean;
  alerts: AlertView[];
  dataChecks: DataCheck[];
  mlPerformance: PrecisionFigures | null;
  /** The policy `suggestedQty` follows ("marge", "niveau_de_service"); null for an older run. */
  orderPolicy: string | null;
}

export interface CoverageArticle {
  articleId: number;
  reference: string;
  name: string;
  storeId: number;
  storeCode: string;
  value: number;
  daysOfCover: number | null;
}

export interface DashboardResponse extends Publication {
  health: HealthKpis | null;
  financial: FinancialKpis | null;
  trend:
    | {
        date: string;
        CRITIQUE: number;
        ATTENTION: number;
        OK: number;
        SANS_PREVISION: number;
        reconstructed?: boolean;
      }[]
    | null;
  urgencies:
    | {
        articleId: number;
        reference: string;
        name: string;
        storeId: number;
        storeCode: string;
        remaining: number;
        /** Absent from runs published before it was added. */
        unit?: string;
        leadTime: number;
        /**
         * Forecast sales the shelf will miss before a delivery could arrive, each open order on
         * its day; absent from runs published before it was added.
         */
        salesLost?: number;
        valueAtRisk: number;
      }[]
    | null;
  coverage:
    | (Record<"RUPTURE" | "NORMAL" | "SURSTOCK" | "STOCK_MORT", number> & {
        deadStockValue: number;
        overstockValue: number;
        articles?: Record<"RUPTURE" | "SURSTOCK" | "STOCK_MORT", CoverageArticle[]>;
      })
    | null;
  mlPerformance: PrecisionFigures | null;
  /** How often past nights' service levels held (null: a run published before it existed). */
  servicePromise: ServicePromiseKpi | null;
  leadTimes:
    | {
        supplierId: number;
        supplier: string;
        /** Null: the supplier's lead time is not recorded. */
        planned: number | null;
        /** Null (and the shares): no delivery of this supplier in the year read. */
        p50: number | null;
        p90: number | null;
        observations: number;
        partialShare: number | null;
        cancelledShare: number | null;
        late: boolean;
        /** Article × store series with goods on order past their day (absent: an older run). */
        overdueSeries?: number;
        /** The earliest of those days. */
        overdueSince?: string | null;
        /** The late orders' numbers, the longest overdue first (absent: an older run). */
        overdueOrders?: string[];
        /** The number to call about them (absent: an older run; null: none recorded). */
        phone?: string | null;
      }[]
    | null;
  simulation: SimulationSummary | null;
  /** What the latest replay measured, per policy (a store without one: its part of all stores'). */
  measuredSavings: MeasuredSavings | null;
  /** The ordering policy the published suggestions follow (null: not recorded by the run). */
  orderPolicy: string | null;
}

/** The replay of the ordering policy over past weeks (issue 15), as the Dashboard shows it. */
export interface SimulationSummary {
  id: number;
  createdAt: string;
  from: string;
  to: string;
  weeks: number;
  series: number;
  marginPct: number;
  carryingCostRate: number;
  skipped: { noStockHistory: number; noForecast: number };
  estimatedDemandDays: number;
  policies: {
    policy: string;
    optiflow: SimulationFigures;
    actual: SimulationFigures;
    /** `carryingRatePct` and `days` are missing from replays stored before they were added. */
    savings: {
      total: number;
      carrying: number;
      margin: number;
      /** Missing from replays stored before what perished was counted. */
      expired?: number;
      formula: string;
      carryingRatePct?: number;
      days?: number;
    };
    worst: {
      articleId: number;
      reference: string;
      name: string;
      storeCode: string;
      delta: number;
    }[];
  }[];
}

export interface SimulationFigures {
  stockOutDays: number;
  lostUnits: number;
  lostRevenue: number;
  averageStockValue: number;
  endStockValue: number;
  orders: number;
  orderLines: number;
  /** Missing from replays stored before what perished was counted. */
  expiredUnits?: number;
  expiredValue?: number;
}

export interface PredictionSummary {
  articleId: number;
  reference: string;
  name: string;
  storeId: number;
  storeCode: string;
  unit: string;
  model: string;
  demandClass: string;
  backtestWape: number | null;
  heldOutWape: number | null;
  next7: number;
  next28: number;
  next28P10: number;
  next28P90: number;
}

export interface WeekPair {
  weekStart: string;
  forecast: number;
  actual: number;
}

export interface PredictionsResponse extends Publication {
  summary: PredictionSummary[];
  summaryTotal: number;
  accuracy: { source: string; overall: WeekPair[]; article: WeekPair[] | null } | null;
  mlPerformance: PrecisionFigures | null;
  improvement: {
    eventEffects: { type: string; categoryId: number; effectPct: number; series: number }[];
    feedbackApplied: {
      id: number;
      articleId: number;
      storeId: number;
      date: string;
      direction: string;
      reason: string;
      /** Absent from runs published before they were stored, and for an article since removed. */
      reference?: string | null;
      name?: string | null;
      effect: string;
    }[];
    modelChangeCount: number;
  } | null;
  forecasts: ForecastView[] | null;
}

export interface Catalog {
  stores: { id: number; code: string; name: string }[];
  categories: { id: number; name: string }[];
  suppliers: { id: number; name: string }[];
}

export interface OrderState {
  lines: OrderLine[];
  orders: PurchaseOrder[];
}

/** A refused request: the server's stable code (translated by the pages) and the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = "internal",
    readonly field: string | null = null,
    readonly values: Record<string, number> = {},
  ) {
    super(message);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    // A JSON content type only with a body: an empty JSON body is a 400.
    headers: init?.body ? { "content-type": "application/json" } : {},
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = body as {
      error?: string;
      code?: string;
      field?: string;
      values?: Record<string, number>;
    };
    throw new ApiError(
      response.status,
      error.error ?? response.statusText,
      error.code ?? (response.status >= 500 ? "internal" : "invalid_input"),
      error.field ?? null,
      error.values ?? {},
    );
  }
  return body as T;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(
    ([, v]) => v !== undefined && v !== null && v !== "",
  );
  return entries.length === 0
    ? ""
    : `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

export interface Session {
  authRequired: boolean;
  user: { login: string; role: string } | null;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body),
});

export const api = {
  session: () => request<Session>("/api/session"),
  login: (login: string, password: string) =>
    request<{ login: string; role: string }>("/api/login", json("POST", { login, password })),
  logout: () => request<{ ok: boolean }>("/api/logout", json("POST", {})),
  catalog: () => request<Catalog>("/api/catalog"),
  alerts: (filters: AlertsQuery) => request<AlertsResponse>(`/api/alerts${query({ ...filters })}`),
  calc: (p: { article: number; store: number; date: string; margin: number }) =>
    request<Publication & { results: QuantityCalculation[] }>(`/api/alerts/calc${query(p)}`),
  dashboard: (store?: number) => request<DashboardResponse>(`/api/dashboard${query({ store })}`),
  predictions: (p: { article?: number; store?: number; search?: string; limit?: number }) =>
    request<PredictionsResponse>(`/api/predictions${query(p)}`),
  article: (articleId: number, storeId: number) =>
    request<Publication & ArticleSheet>(`/api/articles/${articleId}/${storeId}`),
  events: () => request<{ events: DeclaredEvent[] }>("/api/events"),
  declareEvent: (event: Partial<DeclaredEventInput>) =>
    request<DeclaredEvent>("/api/events", json("POST", event)),
  correctEvent: (id: number, event: Partial<DeclaredEventInput>) =>
    request<DeclaredEvent>(`/api/events/${id}`, json("PUT", event)),
  withdrawEvent: (id: number) =>
    request<{ removed: DeclaredEvent }>(`/api/events/${id}`, { method: "DELETE" }),
  feedbackList: () => request<{ feedback: FeedbackRecord[] }>("/api/feedback"),
  feedback: (feedback: Omit<FeedbackInput, "comment"> & { comment?: string | null }) =>
    request<{ id: number }>("/api/feedback", json("POST", feedback)),
  withdrawFeedback: (id: number) =>
    request<{ removed: FeedbackRecord }>(`/api/feedback/${id}`, { method: "DELETE" }),
  orderLines: () => request<OrderState>("/api/orders/lines"),
  putOrderLine: (line: { articleId: number; storeId: number; quantity: number }) =>
    request<OrderState>("/api/orders/lines", json("PUT", line)),
  removeOrderLine: (articleId: number, storeId: number) =>
    request<OrderState>(`/api/orders/lines/${articleId}/${storeId}`, { method: "DELETE" }),
  fillOrder: (body: FillBody) =>
    request<OrderState & { added: number; kept: number; skipped: number }>(
      "/api/orders/fill",
      json("POST", body),
    ),
  exportUrl: (supplier: number, store: number, format: "csv" | "json") =>
    `/api/orders/export${query({ supplier, store, format })}`,
  settings: () =>
    request<{ settings: SettingView[]; measuredSavings: MeasuredSavings | null }>("/api/settings"),
  setSetting: (key: string, value: string) =>
    request<{ settings: SettingView[] }>(`/api/settings/${key}`, json("PUT", { value })),
};
