import {
  getKpi,
  insertEventEffects,
  markFeedbackApplied,
  putKpi,
  readFeedback,
  seriesModels,
} from "../../data/optiflow/results-repository.js";
import { publishedRunId } from "../../data/optiflow/runs-repository.js";
import { dayFromIso, isValidIsoDate } from "../../domain/calendar/days.js";
import { learnEventEffects } from "../../domain/forecast/event-effects.js";
import type { BatchStep } from "../batch-context.js";

/**
 * Step C: what the system learned tonight: event effects per type and category, the users'
 * feedback taken into account (those days left out of the fit), and the models that changed.
 */
export const continuousImprovementStep: BatchStep = {
  id: "C",
  name: "amélioration continue",
  needs: ["2"],
  run(ctx) {
    const effects = learnEventEffects(
      ctx.series.map((s) => ({ categoryId: s.article.categoryId ?? 0, input: s.input })),
      ctx.settings.historyDays,
    );
    insertEventEffects(ctx.db, ctx.runId, effects);
    const feedback = readFeedback(ctx.db).filter(
      (f) => isValidIsoDate(f.date) && dayFromIso(f.date) < ctx.today,
    );
    markFeedbackApplied(
      ctx.db,
      ctx.runId,
      feedback.map((f) => f.id),
    );
    const previous = publishedRunId(ctx.db);
    const before = previous === null ? new Map<string, string>() : seriesModels(ctx.db, previous);
    const changes = ctx.series.flatMap((s) => {
      const was = before.get(s.key);
      const now = ctx.forecasts.get(s.key)?.model;
      return was && now && was !== now
        ? [{ articleId: s.article.id, storeId: s.store.id, from: was, to: now }]
        : [];
    });
    const previousPerformance =
      previous === null
        ? null
        : getKpi<{ precision: number | null }>(ctx.db, previous, "ml_performance");
    // Named as the pages name articles, not by id (an article since removed keeps its id only).
    const articles = new Map(ctx.series.map((s) => [s.article.id, s.article]));
    putKpi(ctx.db, ctx.runId, "improvement", {
      eventEffects: effects,
      feedbackApplied: feedback.map((f) => ({
        ...f,
        reference: articles.get(f.articleId)?.reference ?? null,
        name: articles.get(f.articleId)?.name ?? null,
        effect: "jour exclu de l'apprentissage (non représentatif)",
      })),
      modelChanges: changes.slice(0, 200),
      modelChangeCount: changes.length,
      previousPrecision: previousPerformance?.precision ?? null,
    });
    return {
      eventEffects: effects.length,
      feedbackApplied: feedback.length,
      modelChanges: changes.length,
    };
  },
};
