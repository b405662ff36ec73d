import { PREDICTIONS_SUMMARY_KPI, putKpi } from "../../data/optiflow/results-repository.js";
import { heldOutScore } from "../../domain/forecast/held-out.js";
import { totalDemandQuantile } from "../../domain/forecast/quantiles.js";
import type { BatchStep } from "../batch-context.js";

/** Step A: per article and store, the forecast totals ahead with their P10–P90 range. */
export const futurePredictionsStep: BatchStep = {
  id: "A",
  name: "prédictions futures",
  needs: ["2"],
  run(ctx) {
    const rows = ctx.series.flatMap((s) => {
      const f = ctx.forecasts.get(s.key);
      if (!f) return [];
      const total = (days: number) => f.mean.subarray(0, days).reduce((n, v) => n + v, 0);
      const next28 = f.mean.subarray(0, 28);
      return [
        {
          articleId: s.article.id,
          reference: s.article.reference,
          name: s.article.name,
          storeId: s.store.id,
          storeCode: s.store.code,
          unit: s.article.unit,
          model: f.model,
          demandClass: f.demandClass,
          backtestWape: f.backtest.total > 0 ? f.backtest.error / f.backtest.total : null,
          heldOutWape: heldOutWape(s.input, f),
          next7: total(7),
          next28: total(28),
          next28P10: totalDemandQuantile(next28, f.phi, 0.1, f.periodLevel),
          next28P90: totalDemandQuantile(next28, f.phi, 0.9, f.periodLevel),
          horizon: f.mean.length,
        },
      ];
    });
    putKpi(ctx.db, ctx.runId, PREDICTIONS_SUMMARY_KPI, rows);
    return { series: rows.length };
  },
};

function heldOutWape(
  input: Parameters<typeof heldOutScore>[0],
  forecast: Parameters<typeof heldOutScore>[1],
): number | null {
  const score = heldOutScore(input, forecast);
  return score && score.total > 0 ? score.error / score.total : null;
}
