import { putKpi } from "../../data/optiflow/results-repository.js";
import { type PrecisionFigures, precisionFromWeeklyPairs } from "../../domain/kpi/precision.js";
import type { BatchContext, BatchStep } from "../batch-context.js";
import { heldOutPairs } from "../held-out-pairs.js";
import { lastCompleteWeeks, SCORED_WEEKS } from "../scored-weeks.js";
import { servicePromiseByScope } from "../service-promise-checks.js";
import { storedPairs } from "../stored-pairs.js";

/**
 * Step 5: precision and MAPE of the forecasts stored before the sales were known, over the last
 * 8 complete weeks (weeks with a stock-out left out, as on the held-out window); until 8 weeks
 * are stored, the held-out window of each series stands in, labelled "backtest": the forecasts
 * as served, on weeks that neither chose nor calibrated them. Beside them, how often the
 * service levels promised by past nights' suggestions held (service-promise-checks.ts): from
 * stored promises only, since the held-out weeks taught the quantiles their level.
 */
export const mlPerformanceStep: BatchStep = {
  id: "5",
  name: "performance des prévisions",
  needs: ["2"],
  run(ctx) {
    const figures = mlPerformance(ctx);
    putKpi(ctx.db, ctx.runId, "ml_performance", figures);
    const promises = servicePromiseByScope(ctx);
    for (const [suffix, kpi] of promises)
      putKpi(ctx.db, ctx.runId, `service_promise${suffix}`, kpi);
    const all = promises.get("")?.byClass ?? [];
    return {
      source: figures.source,
      weeks: figures.weeks,
      precision: figures.precision,
      servicePeriodsChecked: all.reduce((n, c) => n + c.periods, 0),
      servicePeriodsHeld: all.reduce((n, c) => n + c.held, 0),
    };
  },
};

export function mlPerformance(ctx: BatchContext): PrecisionFigures {
  const stored = storedPairs(ctx, lastCompleteWeeks(ctx.today));
  const fromStored = precisionFromWeeklyPairs(stored);
  if (fromStored.weeks >= SCORED_WEEKS && fromStored.precision !== null)
    return { source: "stored", ...fromStored };
  // Until then: the held-out window of every series, its forecast as served (heldOutPairs).
  return { source: "backtest", ...precisionFromWeeklyPairs(heldOutPairs(ctx)) };
}
