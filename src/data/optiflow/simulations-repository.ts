import type { PeriodFigures } from "../../domain/simulation/outcome.js";
import type { SimulationResult } from "../../simulation/run-simulation.js";
import type { Db } from "../open.js";

/**
 * Stored replays of the ordering policy (migration 0010): the summary the Dashboard shows and
 * the figures per article × store and policy that the CSV export lists. The latest few are kept.
 */
export const KEEP_SIMULATIONS = 10;

/** What a stored simulation shows: everything but the rows, which the export reads. */
export type SimulationSummary = Omit<SimulationResult, "rows"> & {
  id: number;
  createdAt: string;
  createdBy: string;
  seconds: number;
};

export function storeSimulation(
  db: Db,
  result: SimulationResult,
  meta: { at: string; actor: string; seconds: number },
): number {
  const { rows, ...summary } = result;
  const id = Number(
    db
      .prepare(
        `INSERT INTO optiflow_simulations (created_at, created_by, date_from, date_to, weeks, magasin_id,
           margin_pct, carrying_cost_rate, policies, summary, seconds)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        meta.at,
        meta.actor,
        result.from,
        result.to,
        result.weeks,
        result.storeId,
        result.marginPct,
        result.carryingCostRate,
        JSON.stringify(result.policies.map((p) => p.policy)),
        JSON.stringify(summary),
        meta.seconds,
      ).lastInsertRowid,
  );
  const insert = db.prepare(
    `INSERT INTO optiflow_simulation_series (simulation_id, policy, article_id, magasin_id,
       sim_stock_out_days, sim_lost_units, sim_lost_revenue, sim_average_stock_value,
       sim_end_stock_value, sim_order_lines, real_stock_out_days, real_lost_units,
       real_lost_revenue, real_average_stock_value, real_end_stock_value, real_order_lines,
       estimated_days, savings, sim_expired_units, real_expired_units)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const figures = (f: PeriodFigures) => [
    f.stockOutDays,
    f.lostUnits,
    f.lostRevenue,
    f.averageStockValue,
    f.endStockValue,
    f.orderLines,
  ];
  for (const r of rows)
    insert.run(
      id,
      r.policy,
      r.articleId,
      r.storeId,
      ...figures(r.optiflow),
      ...figures(r.actual),
      r.estimatedDays,
      r.savings.total,
      r.optiflow.expiredUnits,
      r.actual.expiredUnits,
    );
  // Older runs go; foreign keys are off on this connection, so their rows are deleted by hand.
  const stale = db
    .prepare("SELECT id FROM optiflow_simulations ORDER BY id DESC LIMIT -1 OFFSET ?")
    .all(KEEP_SIMULATIONS) as { id: number }[];
  for (const { id: old } of stale) {
    db.prepare("DELETE FROM optiflow_simulation_series WHERE simulation_id = ?").run(old);
    db.prepare("DELETE FROM optiflow_simulations WHERE id = ?").run(old);
  }
  return id;
}

type SummaryRow = {
  id: number;
  created_at: string;
  created_by: string;
  seconds: number;
  summary: string;
};

function summaryOf(row: SummaryRow | undefined): SimulationSummary | null {
  if (!row) return null;
  return {
    ...(JSON.parse(row.summary) as Omit<SimulationResult, "rows">),
    id: row.id,
    createdAt: row.created_at,
    createdBy: row.created_by,
    seconds: row.seconds,
  };
}

/**
 * One policy's savings, and how much more stock (at purchase price) it left on the shelf at the
 * end of the period than the shop did: the savings count what stock costs while it is held, not
 * what a policy leaves behind, so a figure built on stock piling up must say so beside it.
 */
export interface MeasuredPolicy {
  policy: string;
  total: number;
  endStockDelta: number;
}

/**
 * The savings a replay measured, per policy: a store's own latest replay, or its part of the
 * latest replay of every store (`partOfChain`), or the latest replay of every store.
 */
export interface MeasuredSavings {
  simulationId: number;
  from: string;
  to: string;
  weeks: number;
  partOfChain: boolean;
  policies: MeasuredPolicy[];
}

/**
 * What the latest replay measured for a store, or every store (null). `replay`: the choice of
 * `latestReplayFor`, when the caller has already read it (the Dashboard, on a cache miss).
 */
export function measuredSavings(
  db: Db,
  storeId: number | null,
  replay: ReturnType<typeof latestReplayFor> = latestReplayFor(db, storeId),
): MeasuredSavings | null {
  const { own, chainId } = replay;
  if (own)
    return {
      ...periodOf(own),
      partOfChain: false,
      policies: own.policies.map((p) => ({
        policy: p.policy,
        total: p.savings.total,
        endStockDelta: p.optiflow.endStockValue - p.actual.endStockValue,
      })),
    };
  const chain = chainId === null ? null : simulationById(db, chainId);
  return chain && storeId !== null ? storePart(db, chain, storeId) : null;
}

/**
 * Which replay a store's figures come from: its own latest one, unless a replay of every store
 * was stored after it (the server's weekly one): the store's part of that one is then the
 * fresher measure (`chainId`), where the store's own would go on showing a replay of weeks ago
 * until ten newer ones pushed it out. Every store (`storeId` null): the latest of every store.
 */
export function latestReplayFor(
  db: Db,
  storeId: number | null,
): { own: SimulationSummary | null; chainId: number | null } {
  const { ownId, chainId } = latestReplayIds(db, storeId);
  return { own: ownId === null ? null : simulationById(db, ownId), chainId };
}

/**
 * The same choice by ids alone, without reading the replay's summary: what the Dashboard's cache
 * is keyed by, read on every request (the summary, on a miss only).
 */
export function latestReplayIds(
  db: Db,
  storeId: number | null,
): { ownId: number | null; chainId: number | null } {
  const chain = latestSimulationRef(db, null);
  const ownRef = storeId === null ? chain : latestSimulationRef(db, storeId);
  if (ownRef && (storeId === null || !chain || ownRef.id > chain.id))
    return { ownId: ownRef.id, chainId: null };
  return { ownId: null, chainId: chain?.id ?? null };
}

/**
 * A store's part of a replay of every store. Each series' savings add up to the replay's
 * (carrying, margin and waste are sums over series), so a store's are the sum of its rows.
 */
function storePart(db: Db, chain: SimulationSummary, storeId: number): MeasuredSavings | null {
  const policies = db
    .prepare(
      `SELECT policy, SUM(savings) AS total,
         SUM(sim_end_stock_value - real_end_stock_value) AS endStockDelta
       FROM optiflow_simulation_series
       WHERE simulation_id = ? AND magasin_id = ? GROUP BY policy ORDER BY policy`,
    )
    .all(chain.id, storeId) as MeasuredPolicy[];
  return policies.length === 0 ? null : { ...periodOf(chain), partOfChain: true, policies };
}

function periodOf(s: SimulationSummary) {
  return { simulationId: s.id, from: s.from, to: s.to, weeks: s.weeks };
}

/**
 * Which is the latest simulation of a store (or of every store) and when it was stored, without
 * reading its summary: a cache key, or whether the weekly replay is due.
 */
export function latestSimulationRef(
  db: Db,
  storeId: number | null,
): { id: number; createdAt: string } | null {
  const row = db
    .prepare(
      `SELECT id, created_at AS createdAt FROM optiflow_simulations
       WHERE magasin_id IS ? ORDER BY id DESC LIMIT 1`,
    )
    .get(storeId) as { id: number; createdAt: string } | undefined;
  return row ?? null;
}

/** The latest simulation of a store (or of every store: `storeId` null), or null. */
export function latestSimulation(db: Db, storeId: number | null): SimulationSummary | null {
  const ref = latestSimulationRef(db, storeId);
  return ref ? simulationById(db, ref.id) : null;
}

export function simulationById(db: Db, id: number): SimulationSummary | null {
  return summaryOf(
    db
      .prepare(
        "SELECT id, created_at, created_by, seconds, summary FROM optiflow_simulations WHERE id = ?",
      )
      .get(id) as SummaryRow | undefined,
  );
}

export interface SimulationExportRow {
  policy: string;
  reference: string;
  name: string;
  storeCode: string;
  simStockOutDays: number;
  simLostUnits: number;
  simLostRevenue: number;
  simAverageStockValue: number;
  simEndStockValue: number;
  simOrderLines: number;
  realStockOutDays: number;
  realLostUnits: number;
  realLostRevenue: number;
  realAverageStockValue: number;
  realEndStockValue: number;
  realOrderLines: number;
  estimatedDays: number;
  savings: number;
  /** Null for a replay stored before they were counted (migration 0023). */
  simExpiredUnits: number | null;
  realExpiredUnits: number | null;
}

/** Every article × store of a simulation, worst savings first. */
export function simulationRows(db: Db, simulationId: number): SimulationExportRow[] {
  return db
    .prepare(
      `SELECT s.policy, a.reference, a.nom AS name, m.code AS storeCode,
         s.sim_stock_out_days AS simStockOutDays, s.sim_lost_units AS simLostUnits,
         s.sim_lost_revenue AS simLostRevenue, s.sim_average_stock_value AS simAverageStockValue,
         s.sim_end_stock_value AS simEndStockValue, s.sim_order_lines AS simOrderLines,
         s.real_stock_out_days AS realStockOutDays, s.real_lost_units AS realLostUnits,
         s.real_lost_revenue AS realLostRevenue, s.real_average_stock_value AS realAverageStockValue,
         s.real_end_stock_value AS realEndStockValue, s.real_order_lines AS realOrderLines,
         s.estimated_days AS estimatedDays, s.savings, s.sim_expired_units AS simExpiredUnits,
         s.real_expired_units AS realExpiredUnits
       FROM optiflow_simulation_series s
       JOIN articles a ON a.id = s.article_id JOIN magasins m ON m.id = s.magasin_id
       WHERE s.simulation_id = ? ORDER BY s.policy, s.savings, a.reference, m.code`,
    )
    .all(simulationId) as SimulationExportRow[];
}
