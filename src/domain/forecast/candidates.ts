import { movingAverage, seasonalNaive, weekdayMean } from "./baselines.js";
import { croston, sba, tsb } from "./intermittent.js";
import type { ForecastFunction, SeriesInput } from "./model-input.js";
import { type PipelineSpec, type PromotionPenalties, WINDOW_DAYS } from "./pipeline-spec.js";
import { type PooledFit, predictPooledAt } from "./pooled-model.js";
import { SEASONAL_SPEC, type SeasonalSpec } from "./seasonal-design.js";
import {
  DISCOUNT_PENALTY,
  fitSeasonalModelVariants,
  type PriorAt,
  predictSeasonal,
  type SeasonalFit,
} from "./seasonal-model.js";
import { actualWeeksOf, scoreWindows } from "./window-scores.js";

/**
 * The models a series' selection chooses among (select-model.ts), each shaped as one call that
 * forecasts every origin it is given, so that a model can share its work between them.
 */

/** What a candidate is told besides its series. */
export interface CandidateContext {
  prior: PriorAt;
  /** Windows (their first day) the candidate may score itself on for its own choices. */
  scoringOrigins: readonly number[];
  /**
   * The variant an earlier selection chose (the Prophet-like model's promotion penalty): fitted
   * alone, without scoring the others again. Absent: the candidate chooses on `scoringOrigins`.
   */
  variant?: number | null;
}

/** A candidate's forecasts from each origin, and the variant it chose (null: it has none). */
export interface CandidateRun {
  forecasts: Float64Array[];
  variant: number | null;
}

export interface Candidate {
  name: string;
  /**
   * `horizon` days from each origin. All origins come in one call so that a model can share
   * work between them (the Prophet-like fits share one pass over the history).
   */
  forecast: (
    input: SeriesInput,
    origins: readonly number[],
    horizon: number,
    context: CandidateContext,
  ) => CandidateRun;
}

const plain = (name: string, f: ForecastFunction): Candidate => ({
  name,
  forecast: (i, origins, h) => ({ forecasts: origins.map((o) => f(i, o, h)), variant: null }),
});

/**
 * Penalties tried for the promotion effect, chosen per series on its selection windows: how
 * much a series' promotions lift its sales varies from nothing to several-fold, and one penalty
 * either flattens the big lifts or lets the small ones overfit.
 */
export const PROMOTION_PENALTIES: PromotionPenalties = {
  choices: [DISCOUNT_PENALTY, 1, 0.25],
  unchosen: DISCOUNT_PENALTY,
};

export const CANDIDATES: readonly Candidate[] = [
  plain("seasonal_naive", seasonalNaive),
  plain("weekday_mean_8w", weekdayMean),
  plain("moving_average_28d", movingAverage),
  plain("croston", croston),
  plain("sba", sba),
  plain("tsb", tsb),
  prophetLikeCandidate(SEASONAL_SPEC, PROMOTION_PENALTIES),
];

/** The pooled model as a candidate: one fit per store or chain, predicted for each origin. */
export function pooledCandidate(fit: PooledFit): Candidate {
  return {
    name: "pooled",
    forecast: (input, origins, horizon) => ({
      forecasts: predictPooledAt(fit, input, origins, horizon),
      variant: null,
    }),
  };
}

/**
 * The Prophet-like model with this calendar design and these promotion penalties (the bench's
 * variants change them).
 */
function prophetLikeCandidate(
  seasonal: SeasonalSpec,
  promotionPenalties: PromotionPenalties,
): Candidate {
  return {
    name: "prophet_like",
    forecast: (input, origins, horizon, context) =>
      prophetLike(input, origins, horizon, context, seasonal, promotionPenalties),
  };
}

/**
 * The Prophet-like model, its promotion penalty chosen by the weekly WAPE of the scoring windows
 * (all penalties share one pass and one factorisation), or the one `context.variant` names.
 */
function prophetLike(
  input: SeriesInput,
  origins: readonly number[],
  horizon: number,
  context: CandidateContext,
  seasonal: SeasonalSpec,
  promotionPenalties: PromotionPenalties = PROMOTION_PENALTIES,
): CandidateRun {
  const fixed = context.variant ?? null;
  const scoring = fixed === null ? context.scoringOrigins.filter((o) => o >= 56) : [];
  const all = [...new Set([...scoring, ...origins])];
  // The windows can only tell penalties apart if they hold promotions: otherwise one fit.
  const promoted = scoring.some((o) =>
    input.discount.subarray(o, o + WINDOW_DAYS).some((d) => d !== 0),
  );
  const penalties =
    fixed !== null
      ? [fixed]
      : promoted
        ? promotionPenalties.choices
        : [promotionPenalties.unchosen];
  const variants = fitSeasonalModelVariants(input, all, context.prior, penalties, seasonal);
  const predict = (fits: (SeasonalFit | null)[], o: number, h: number) => {
    const fit = fits[all.indexOf(o)];
    return fit ? predictSeasonal(fit, input, o, h) : new Float64Array(h).fill(Number.NaN);
  };
  let chosen = 0;
  if (scoring.length > 0 && variants.length > 1) {
    const actualWeeks = actualWeeksOf(input, scoring);
    let best = Number.POSITIVE_INFINITY;
    variants.forEach((fits, k) => {
      const score = scoreWindows(
        scoring.map((o) => predict(fits, o, WINDOW_DAYS)),
        actualWeeks,
      );
      const wape = score.error / Math.max(score.total, 1);
      if (wape < best) {
        best = wape;
        chosen = k;
      }
    });
  }
  const fits = variants[chosen] as (SeasonalFit | null)[];
  return {
    forecasts: origins.map((o) => predict(fits, o, horizon)),
    variant: penalties[chosen] as number,
  };
}

/** The candidates of a spec: the per-series ones, and the store's pooled model when fitted. */
export function candidatesFor(spec: PipelineSpec, pooled: PooledFit | null): readonly Candidate[] {
  const { seasonal, promotionPenalties } = spec;
  const own =
    seasonal || promotionPenalties
      ? CANDIDATES.map((c) =>
          c.name === "prophet_like"
            ? prophetLikeCandidate(
                seasonal ?? SEASONAL_SPEC,
                promotionPenalties ?? PROMOTION_PENALTIES,
              )
            : c,
        )
      : CANDIDATES;
  const all = pooled && pooled.rows > 0 ? [...own, pooledCandidate(pooled)] : own;
  return spec.candidates ? all.filter((c) => spec.candidates?.includes(c.name)) : all;
}
