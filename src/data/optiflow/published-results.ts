import type { Db } from "../open.js";
import {
  CLOSED_DAYS_KPI,
  getKpi,
  hasOptiflowTable,
  PREDICTIONS_SUMMARY_KPI,
} from "./results-repository.js";
import {
  getRun,
  latestRun,
  publishedRunId,
  type RunRow,
  runSteps,
  type StepRow,
} from "./runs-repository.js";

/**
 * What pages and the CLI serve: the last published run only (SPEC §2.4), with when it was
 * computed and whether it is stale; plus the newest run when it failed, so that the failure is
 * shown next to the results still served.
 */
export interface Publication {
  runId: number;
  today: string;
  computedAt: string;
  stale: boolean;
  /** Hours after which results are stale (CACHE_DURATION_HOURS): what the warnings say. */
  staleAfterHours: number;
  lastFailure: { runId: number; startedAt: string; error: string | null; steps: StepRow[] } | null;
}

export class NoPublicationError extends Error {
  constructor() {
    super('no published batch results yet: run "optiflow ml batch" first');
    this.name = "NoPublicationError";
  }
}

export function readPublication(db: Db, now: Date, cacheHours: number): Publication | null {
  // A base Optiflow has never written to (read-only use before the first batch) has no tables yet.
  if (!hasOptiflowTable(db, "optiflow_publication")) return null;
  const runId = publishedRunId(db);
  const latest = latestRun(db);
  const failure =
    latest && latest.id !== runId && (latest.status === "failed" || latest.status === "abandoned")
      ? latest
      : null;
  if (runId === null) return null;
  const run = getRun(db, runId) as RunRow;
  const computedAt = run.publishedAt ?? run.finishedAt ?? run.startedAt;
  return {
    runId,
    today: run.today,
    computedAt,
    stale: now.getTime() - Date.parse(computedAt) > cacheHours * 3_600_000,
    staleAfterHours: cacheHours,
    lastFailure: failure
      ? {
          runId: failure.id,
          startedAt: failure.startedAt,
          error: failure.error,
          steps: runSteps(db, failure.id),
        }
      : null,
  };
}

export function requirePublication(db: Db, now: Date, cacheHours: number): Publication {
  const publication = readPublication(db, now, cacheHours);
  if (!publication) throw new NoPublicationError();
  return publication;
}

export interface AlertView {
  articleId: number;
  reference: string;
  name: string;
  unit: string;
  categoryId: number | null;
  category: string | null;
  supplierId: number | null;
  supplier: string | null;
  storeId: number;
  storeCode: string;
  level: string;
  onHand: number;
  onOrder: number;
  stockActuel: number;
  stockAtTarget: number | null;
  leadTime: number;
  ventesPrevuesDelai: number | null;
  reste: number | null;
  ventes3j: number | null;
  targetDate: string | null;
  marginPct: number;
  forecastToTarget: number | null;
  suggestedQty: number | null;
  orderBy: string | null;
  daysOfCover: number | null;
  coverage: string | null;
  valueAtRisk: number | null;
  packSize: number;
  minimumOrder: number;
  purchasePrice: number | null;
  shelfPrice: number | null;
  model: string | null;
  backtestWape: number | null;
  /** Overdispersion of the forecast's daily demand (quantiles.ts). */
  phi: number | null;
  /** The period level's factor and variance (level-uncertainty.ts); null without a forecast. */
  periodFactor: number | null;
  periodVariance: number | null;
  /** Its floor for forecasts of almost nothing; null: none. */
  periodFloorRate: number | null;
  periodFloorPhi: number | null;
  /** The held-out window's weekly WAPE: the honest accuracy of this series' forecast. */
  heldOutWape: number | null;
  /** The factor the forecast was rescaled by (calibration.ts); null without a forecast. */
  calibration: number | null;
  /**
   * Known days without a sale before the batch, for a series gone quiet (dormancy.ts), whose
   * forecast the quiet series' factor scaled; null otherwise.
   */
  quietDays: number | null;
  /**
   * For a quiet series, whether its factor (`calibration`) is the quiet series' one; false when
   * its store had none and it kept its class's factor. Null for every other series.
   */
  quietFactor: boolean | null;
  abc: "A" | "B" | "C" | null;
  xyz: "X" | "Y" | "Z" | null;
  serviceLevel: number | null;
  qtyMargin: number | null;
  probMargin: number | null;
  qtyService: number | null;
  probService: number | null;
  stockAtDelivery: number | null;
  leadTimeP50: number | null;
  leadTimeP90: number | null;
  leadTimeDelays: number[];
  quantityNotes: { code: string; quantity: "margin" | "service"; [k: string]: unknown }[];
  shelfLifeDays: number | null;
  safetyStock: number | null;
  /** Expected day of the earliest delivery already on order. */
  nextDelivery: string | null;
  /** The units due that day, of `onOrder` in all (null: none, or a run published before). */
  nextDeliveryQuantity: number | null;
  /**
   * First day the shelf is empty, in days from today, each open order counted on its expected
   * day (stockout-day.ts); null: not within the forecast's horizon. `daysOfCover` is the on-hand
   * stock's alone.
   */
  daysToStockout: number | null;
}

export interface AlertFilters {
  articleId?: number;
  level?: string;
  storeId?: number;
  categoryId?: number;
  supplierId?: number;
  search?: string;
  abc?: string;
  xyz?: string;
}

const LEVEL_ORDER =
  "CASE al.level WHEN 'CRITIQUE' THEN 0 WHEN 'ATTENTION' THEN 1 WHEN 'OK' THEN 2 ELSE 3 END";

/** Every alert of a run with what the pages show beside it; filters are named parameters. */
const ALERTS_SQL = `SELECT al.article_id AS articleId, a.reference, a.nom AS name, a.unite AS unit, a.categorie_id AS categoryId, c.nom AS category,
              a.fournisseur_id AS supplierId, f.nom AS supplier, al.magasin_id AS storeId, m.code AS storeCode, al.level,
              al.on_hand AS onHand, al.on_order AS onOrder, al.stock_actuel AS stockActuel, al.stock_at_target AS stockAtTarget,
              al.lead_time AS leadTime, al.ventes_prevues_delai AS ventesPrevuesDelai, al.reste, al.ventes_3j AS ventes3j,
              al.target_date AS targetDate, al.margin_pct AS marginPct, al.forecast_to_target AS forecastToTarget,
              al.suggested_qty AS suggestedQty, al.order_by AS orderBy, al.days_of_cover AS daysOfCover,
              al.days_to_stockout AS daysToStockout, al.coverage,
              al.value_at_risk AS valueAtRisk,
              CASE WHEN typeof(a.colisage) IN ('integer','real') AND a.colisage > 0 THEN a.colisage ELSE 1 END AS packSize,
              CASE WHEN typeof(a.minimum_commande) IN ('integer','real') THEN a.minimum_commande ELSE 0 END AS minimumOrder,
              CASE WHEN typeof(a.prix_achat) IN ('integer','real') THEN a.prix_achat END AS purchasePrice,
              CASE WHEN typeof(a.prix_vente) IN ('integer','real') THEN a.prix_vente END AS shelfPrice,
              s.model, s.backtest_wape AS backtestWape, s.phi, s.period_factor AS periodFactor, s.period_variance AS periodVariance,
              s.period_floor_rate AS periodFloorRate, s.period_floor_phi AS periodFloorPhi,
              CASE WHEN s.held_out_actual > 0 THEN s.held_out_error / s.held_out_actual END AS heldOutWape,
              s.calibration, s.quiet_days AS quietDays,
              -- Runs before the column scaled every quiet series they marked, as far as the sheet knew.
              CASE WHEN s.quiet_days IS NOT NULL THEN COALESCE(s.quiet_factor, 1) END AS quietFactor,
              al.abc, al.xyz, al.service_level AS serviceLevel, al.qty_margin AS qtyMargin, al.prob_margin AS probMargin,
              al.qty_service AS qtyService, al.prob_service AS probService, al.stock_at_delivery AS stockAtDelivery,
              al.lead_time_p50 AS leadTimeP50, al.lead_time_p90 AS leadTimeP90, al.lead_time_delays AS leadTimeDelays,
              al.quantity_notes AS quantityNotes, al.next_delivery AS nextDelivery,
              al.next_delivery_quantity AS nextDeliveryQuantity,
              CASE WHEN typeof(a.duree_conservation_jours) IN ('integer','real') AND a.duree_conservation_jours > 0 THEN a.duree_conservation_jours END AS shelfLifeDays,
              CASE WHEN typeof(a.stock_securite) IN ('integer','real') AND a.stock_securite > 0 THEN a.stock_securite END AS safetyStock
       FROM optiflow_alerts al
       JOIN articles a ON a.id = al.article_id
       JOIN magasins m ON m.id = al.magasin_id
       LEFT JOIN categories c ON c.id = a.categorie_id
       LEFT JOIN fournisseurs f ON f.id = a.fournisseur_id
       LEFT JOIN optiflow_series s ON s.run_id = al.run_id AND s.article_id = al.article_id AND s.magasin_id = al.magasin_id
       WHERE al.run_id = @runId
         AND (@articleId IS NULL OR al.article_id = @articleId)
         AND (@level IS NULL OR al.level = @level)
         AND (@storeId IS NULL OR al.magasin_id = @storeId)
         AND (@categoryId IS NULL OR a.categorie_id = @categoryId)
         AND (@supplierId IS NULL OR a.fournisseur_id = @supplierId)
         AND (@search IS NULL OR a.reference LIKE @search ESCAPE '\\' OR a.nom LIKE @search ESCAPE '\\')
         AND (@abc IS NULL OR al.abc = @abc)
         AND (@xyz IS NULL OR al.xyz = @xyz)
       ORDER BY ${LEVEL_ORDER}, al.reste / NULLIF(al.ventes_3j, 0), a.reference, m.code`;

type AlertRow = Omit<AlertView, "leadTimeDelays" | "quantityNotes" | "quietFactor"> & {
  leadTimeDelays: string | null;
  quantityNotes: string | null;
  quietFactor: number | null;
};

export function readAlerts(db: Db, runId: number, filters: AlertFilters = {}): AlertView[] {
  const search = filters.search
    ? `%${filters.search.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}%`
    : null;
  const rows = db.prepare(ALERTS_SQL).all({
    runId,
    articleId: filters.articleId ?? null,
    level: filters.level ?? null,
    storeId: filters.storeId ?? null,
    categoryId: filters.categoryId ?? null,
    supplierId: filters.supplierId ?? null,
    search,
    abc: filters.abc ?? null,
    xyz: filters.xyz ?? null,
  }) as AlertRow[];
  return rows.map((row) => ({
    ...row,
    quietFactor: row.quietFactor === null ? null : row.quietFactor === 1,
    leadTimeDelays: parseJsonArray(row.leadTimeDelays) as number[],
    quantityNotes: parseJsonArray(row.quantityNotes) as AlertView["quantityNotes"],
  }));
}

function parseJsonArray(text: string | null): unknown[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

export interface ForecastView {
  date: string;
  forecast: number;
  p10: number;
  p50: number;
  p90: number;
  /** The store is closed that day, as the batch's calendar had it: its 0 is not a forecast. */
  closed: boolean;
}

export function readForecasts(
  db: Db,
  runId: number,
  articleId: number,
  storeId: number,
): ForecastView[] {
  // Runs before the closed days were kept say nothing closed, as their pages did.
  const closed = new Set(getKpi<ClosedDays>(db, runId, CLOSED_DAYS_KPI)?.[storeId] ?? []);
  return (
    db
      .prepare(
        "SELECT date, forecast, p10, p50, p90 FROM optiflow_forecasts WHERE run_id = ? AND article_id = ? AND magasin_id = ? ORDER BY date",
      )
      .all(runId, articleId, storeId) as Omit<ForecastView, "closed">[]
  ).map((f) => ({ ...f, closed: closed.has(f.date) }));
}

/** Step 2's `closed_days` KPI: each store's closed days over the horizon, by store id. */
export type ClosedDays = Record<string, string[]>;

export interface ExportRow {
  date: string;
  store: string;
  article: string;
  forecast: number;
  p10: number;
  p50: number;
  p90: number;
  model: string;
}

/** An export row with what a spreadsheet reader needs beside the codes. */
export interface NamedExportRow extends ExportRow {
  storeId: number;
  name: string;
}

/**
 * Each published series' reference and name as the night's batch listed them on the Predictions
 * page, by "articleId:storeId": what that page's search matched. Empty when the batch's list step
 * did not publish.
 */
export function readPublishedNames(
  db: Db,
  runId: number,
): Map<string, { reference: string; name: string }> {
  const rows =
    getKpi<{ articleId: number; storeId: number; reference?: string; name?: string }[]>(
      db,
      runId,
      PREDICTIONS_SUMMARY_KPI,
    ) ?? [];
  return new Map(
    rows.map((r) => [
      `${r.articleId}:${r.storeId}`,
      { reference: r.reference ?? "", name: r.name ?? "" },
    ]),
  );
}

/** Which published series an export holds: one store's, one article's, one series, or all. */
export interface ExportScope {
  storeId?: number | undefined;
  articleId?: number | undefined;
}

/** A published series as an export names it. */
export interface ExportSeries {
  articleId: number;
  storeId: number;
  store: string;
  article: string;
  name: string;
  model: string;
}

/** The published series of the scope, in the exports' order: by store code, then reference. */
export function listExportSeries(db: Db, runId: number, scope: ExportScope = {}): ExportSeries[] {
  const where = ["s.run_id = ?"];
  const params: number[] = [runId];
  if (scope.storeId !== undefined) {
    where.push("s.magasin_id = ?");
    params.push(scope.storeId);
  }
  if (scope.articleId !== undefined) {
    where.push("s.article_id = ?");
    params.push(scope.articleId);
  }
  return db
    .prepare(
      `SELECT s.article_id AS articleId, s.magasin_id AS storeId, m.code AS store,
              a.reference AS article, a.nom AS name, s.model
       FROM optiflow_series s
       JOIN articles a ON a.id = s.article_id
       JOIN magasins m ON m.id = s.magasin_id
       WHERE ${where.join(" AND ")}
       ORDER BY m.code, a.reference`,
    )
    .all(...params) as ExportSeries[];
}

/**
 * The series' published forecasts, one row per day of the horizon, series after series: each
 * series' days are read from the primary key as the rows are taken, so that a large export is
 * never sorted, nor held, whole.
 */
export function* iterateSeriesRows(
  db: Db,
  runId: number,
  series: Iterable<ExportSeries>,
): Generator<NamedExportRow> {
  const days = db.prepare(
    "SELECT date, forecast, p10, p50, p90 FROM optiflow_forecasts WHERE run_id = ? AND article_id = ? AND magasin_id = ? ORDER BY date",
  );
  for (const s of series) {
    const rows = days.all(runId, s.articleId, s.storeId) as Pick<
      ExportRow,
      "date" | "forecast" | "p10" | "p50" | "p90"
    >[];
    for (const d of rows)
      yield {
        ...d,
        store: s.store,
        article: s.article,
        model: s.model,
        storeId: s.storeId,
        name: s.name,
      };
  }
}

/** Every published forecast of the scope, one row per day of the horizon per active series. */
export function iterateExportRows(
  db: Db,
  runId: number,
  scope: ExportScope = {},
): Generator<NamedExportRow> {
  return iterateSeriesRows(db, runId, listExportSeries(db, runId, scope));
}

export function findArticleByReference(
  db: Db,
  reference: string,
): { id: number; reference: string; name: string } | null {
  return (
    (db
      .prepare("SELECT id, reference, nom AS name FROM articles WHERE reference = ?")
      .get(reference) as { id: number; reference: string; name: string } | undefined) ?? null
  );
}

export function findStoreByCode(db: Db, code: string): { id: number; code: string } | null {
  return (
    (db.prepare("SELECT id, code FROM magasins WHERE code = ?").get(code) as
      | { id: number; code: string }
      | undefined) ?? null
  );
}

/** Every published daily forecast, grouped per article-store, in date order. */
export function readAllForecasts(db: Db, runId: number): Map<string, number[]> {
  const result = new Map<string, number[]>();
  const rows = db
    .prepare(
      "SELECT article_id, magasin_id, forecast FROM optiflow_forecasts WHERE run_id = ? ORDER BY article_id, magasin_id, date",
    )
    .raw(true)
    .iterate(runId) as Iterable<[number, number, number]>;
  for (const [articleId, storeId, forecast] of rows) {
    const key = `${articleId}:${storeId}`;
    const list = result.get(key);
    if (list) list.push(forecast);
    else result.set(key, [forecast]);
  }
  return result;
}
