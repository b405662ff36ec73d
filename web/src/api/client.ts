import type { QuantityCalculation } from "../../../src/app/quantity-calculation.js";
import type {
  AlertView,
  ForecastView,
  Publication,
} from "../../../src/data/optiflow/published-results.js";
import type {
  DeclaredEvent,
  DraftOrderLine,
  FeedbackRecord,
} from "../../../src/data/optiflow/user-input-repository.js";
import type { DeclaredEventInput } from "../../../src/domain/user-input/declared-event.js";
import type { FeedbackInput } from "../../../src/domain/user-input/forecast-feedback.js";

export type OrderLine = DraftOrderLine;

import type { FinancialKpis } from "../../../src/domain/kpi/financial.js";
import type { HealthKpis } from "../../../src/domain/kpi/health.js";
import type { PrecisionFigures } from "../../../src/domain/kpi/precision.js";

/** The typed client of the JSON API: the shapes are the server's own types, imported, not copied. */
export type { AlertView, DeclaredEvent, ForecastView, QuantityCalculation };
export type Published = Publication;

export interface DataCheck {
  kind: string;
  tableName: string;
  count: number;
  description: string;
  samples: unknown[];
}

export interface AlertsResponse extends Publication {
  counts: Record<string, number>;
  total: number;
  truncated: boolean;
  alerts: AlertView[];
  dataChecks: DataCheck[];
  mlPerformance: PrecisionFigures | null;
}

export interface DashboardResponse extends Publication {
  health: HealthKpis | null;
  financial: FinancialKpis | null;
  trend:
    | { date: string; CRITIQUE: number; ATTENTION: number; OK: number; SANS_PREVISION: number }[]
    | null;
  urgencies:
    | {
        articleId: number;
        reference: string;
        name: string;
        storeId: number;
        storeCode: string;
        remaining: number;
        valueAtRisk: number;
      }[]
    | null;
  coverage: Record<string, number> | null;
  mlPerformance: PrecisionFigures | null;
}

export interface PredictionSummary {
  articleId: number;
  reference: string;
  name: string;
  storeId: number;
  model: string;
  demandClass: string;
  backtestWape: number | null;
  next7: number;
  next28: number;
  next28P10: number;
  next28P90: number;
}

export interface PredictionsResponse extends Publication {
  summary: PredictionSummary[] | null;
  accuracy: {
    source: string;
    overall: { weekStart: string; forecast: number; actual: number }[];
    perArticle: {
      articleId: number;
      storeId: number;
      weeks: { weekStart: string; forecast: number; actual: number }[];
    }[];
  } | null;
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

/** A refused request: the server's stable code (translated by the pages) and the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = "internal",
    readonly field: string | null = null,
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
    const error = body as { error?: string; code?: string; field?: string };
    throw new ApiError(
      response.status,
      error.error ?? response.statusText,
      error.code ?? (response.status >= 500 ? "internal" : "invalid_input"),
      error.field ?? null,
    );
  }
  return body as T;
}

function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(
    ([, v]) => v !== undefined && v !== null && v !== "",
  );
  return entries.length === 0
    ? ""
    : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

export interface Session {
  authRequired: boolean;
  user: { login: string; role: string } | null;
}

export const api = {
  session: () => request<Session>("/api/session"),
  login: (login: string, password: string) =>
    request<{ login: string; role: string }>("/api/login", {
      method: "POST",
      body: JSON.stringify({ login, password }),
    }),
  logout: () => request<{ ok: boolean }>("/api/logout", { method: "POST", body: "{}" }),
  catalog: () => request<Catalog>("/api/catalog"),
  alerts: (filters: {
    store?: number;
    category?: number;
    supplier?: number;
    search?: string;
    limit?: number;
  }) => request<AlertsResponse>(`/api/alerts${query(filters)}`),
  calc: (p: { article: number; store: number; date: string; margin: number }) =>
    request<Publication & { results: QuantityCalculation[] }>(`/api/alerts/calc${query(p)}`),
  dashboard: (store?: number) => request<DashboardResponse>(`/api/dashboard${query({ store })}`),
  predictions: (p: { article?: number; store?: number; search?: string }) =>
    request<PredictionsResponse>(`/api/predictions${query(p)}`),
  events: () => request<{ events: DeclaredEvent[] }>("/api/events"),
  declareEvent: (event: Partial<DeclaredEventInput>) =>
    request<DeclaredEvent>("/api/events", { method: "POST", body: JSON.stringify(event) }),
  correctEvent: (id: number, event: Partial<DeclaredEventInput>) =>
    request<DeclaredEvent>(`/api/events/${id}`, { method: "PUT", body: JSON.stringify(event) }),
  withdrawEvent: (id: number) =>
    request<{ removed: DeclaredEvent }>(`/api/events/${id}`, { method: "DELETE" }),
  feedbackList: () => request<{ feedback: FeedbackRecord[] }>("/api/feedback"),
  correctFeedback: (id: number, feedback: FeedbackInput) =>
    request<FeedbackRecord>(`/api/feedback/${id}`, {
      method: "PUT",
      body: JSON.stringify(feedback),
    }),
  withdrawFeedback: (id: number) =>
    request<{ removed: FeedbackRecord }>(`/api/feedback/${id}`, { method: "DELETE" }),
  orderLines: () => request<{ lines: OrderLine[] }>("/api/orders/lines"),
  putOrderLine: (line: { articleId: number; storeId: number; quantity: number }) =>
    request<{ lines: OrderLine[] }>("/api/orders/lines", {
      method: "PUT",
      body: JSON.stringify(line),
    }),
  removeOrderLine: (articleId: number, storeId: number) =>
    request<{ lines: OrderLine[] }>(`/api/orders/lines/${articleId}/${storeId}`, {
      method: "DELETE",
    }),
  feedback: (feedback: Omit<FeedbackInput, "comment"> & { comment?: string | null }) =>
    request<{ id: number }>("/api/feedback", { method: "POST", body: JSON.stringify(feedback) }),
};
