import { asOfWeeklyForecasts, putKpi } from "../../data/optiflow/results-repository.js";
import { isoFromDay, weekStartOfDay } from "../../domain/calendar/days.js";
import { actualsForScoring } from "../../domain/forecast/model-input.js";
import { forecastWithModel } from "../../domain/forecast/select-model.js";
import { type WeeklyPair, weeklyOverall } from "../../domain/kpi/precision.js";
import { weeklyTotals } from "../../domain/metrics/accuracy.js";
import type { BatchContext, BatchStep } from "../batch-context.js";
import { lastCompleteWeeks } from "./05-ml-performance.js";

const TOP_ARTICLES = 50;

/**
 * Step B: predicted vs actual by week, overall and for the best-selling articles. From the
 * forecasts stored before the weeks began; until 8 weeks exist, from a backtest of each
 * series' chosen model on the last 4 complete weeks, labelled as such.
 */
export const accuracyProofStep: BatchStep = {
  id: "B",
  name: "preuve de précision",
  needs: ["2"],
  run(ctx) {
    const stored = asOfWeeklyForecasts(ctx.db, lastCompleteWeeks(ctx.today));
    const source = new Set(stored.map((p) => p.weekStart)).size >= 8 ? "stored" : "backtest";
    const pairs =
      source === "stored"
        ? stored.map((p) => ({ ...p, key: `${p.articleId}:${p.storeId}` }))
        : backtestPairs(ctx);
    const volume = new Map<string, number>();
    for (const p of pairs) volume.set(p.key, (volume.get(p.key) ?? 0) + p.actual);
    const top = [...volume.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_ARTICLES)
      .map(([key]) => key);
    const perArticle = top.map((key) => {
      const [articleId, storeId] = key.split(":").map(Number) as [number, number];
      return {
        articleId,
        storeId,
        weeks: pairs
          .filter((p) => p.key === key)
          .map(({ weekStart, forecast, actual }) => ({ weekStart, forecast, actual })),
      };
    });
    putKpi(ctx.db, ctx.runId, "accuracy_proof", {
      source,
      overall: weeklyOverall(pairs),
      perArticle,
    });
    return {
      source,
      weeks: new Set(pairs.map((p) => p.weekStart)).size,
      articles: perArticle.length,
    };
  },
};

function backtestPairs(ctx: BatchContext): (WeeklyPair & { key: string })[] {
  const origin = ctx.settings.historyDays - (ctx.today - weekStartOfDay(ctx.today)) - 28;
  const weekStarts = Array.from({ length: 4 }, (_, w) =>
    isoFromDay(ctx.today - ctx.settings.historyDays + origin + 7 * w),
  );
  const pairs: (WeeklyPair & { key: string })[] = [];
  for (const s of ctx.series) {
    const f = ctx.forecasts.get(s.key);
    if (!f || origin < 56) continue;
    const forecast = forecastWithModel(s.input, origin, 28, f.model);
    if (!forecast) continue;
    for (let h = 0; h < forecast.length; h++) forecast[h] = (forecast[h] as number) * f.calibration;
    const predicted = weeklyTotals(forecast, false);
    const actual = weeklyTotals(actualsForScoring(s.input, origin, origin + 28));
    predicted.forEach((value, w) => {
      // Weeks with a stock-out are left out: their sales understate demand.
      if (Number.isFinite(actual[w] as number))
        pairs.push({
          key: s.key,
          weekStart: weekStarts[w] as string,
          forecast: value,
          actual: actual[w] as number,
        });
    });
  }
  return pairs;
}
