import { putKpi } from "../../data/optiflow/results-repository.js";
import { weeklyOverall } from "../../domain/kpi/precision.js";
import type { BatchStep } from "../batch-context.js";
import { heldOutPairs } from "../held-out-pairs.js";
import { lastCompleteWeeks, SCORED_WEEKS } from "../scored-weeks.js";
import { storedPairs } from "../stored-pairs.js";

const TOP_ARTICLES = 50;

/**
 * Step B: predicted vs actual by week, overall and for the best-selling articles. From the
 * forecasts stored before the weeks began; until 8 weeks exist, from each series' held-out
 * window: its forecast as served (chosen without those weeks, calibrated, declared impacts
 * applied) against what then sold, labelled "backtest".
 */
export const accuracyProofStep: BatchStep = {
  id: "B",
  name: "preuve de précision",
  needs: ["2"],
  run(ctx) {
    const stored = storedPairs(ctx, lastCompleteWeeks(ctx.today));
    const source =
      new Set(stored.map((p) => p.weekStart)).size >= SCORED_WEEKS ? "stored" : "backtest";
    const pairs = source === "stored" ? stored : heldOutPairs(ctx);
    const volume = new Map<string, number>();
    for (const p of pairs) volume.set(p.key, (volume.get(p.key) ?? 0) + p.actual);
    const top = [...volume.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_ARTICLES)
      .map(([key]) => key);
    // One pass for the top articles' weeks, in the pairs' order (a filter per article read
    // every pair fifty times).
    const weeksOf = new Map(
      top.map((key) => [key, [] as { weekStart: string; forecast: number; actual: number }[]]),
    );
    for (const { key, weekStart, forecast, actual } of pairs)
      weeksOf.get(key)?.push({ weekStart, forecast, actual });
    const perArticle = top.map((key) => {
      const [articleId, storeId] = key.split(":").map(Number) as [number, number];
      return { articleId, storeId, weeks: weeksOf.get(key) ?? [] };
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
