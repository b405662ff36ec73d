import { DEFAULT_BOOST } from "../src/domain/forecast/boosted-trees.js";
import { PROMOTION_PENALTIES } from "../src/domain/forecast/candidates.js";
import { SUDDEN_STOP } from "../src/domain/forecast/dormancy.js";
import type { PeriodLevelSpec } from "../src/domain/forecast/level-uncertainty.js";
import {
  DEFAULT_PIPELINE,
  DEFAULT_SELECTION,
  type PipelineSpec,
  type PromotionPenalties,
} from "../src/domain/forecast/pipeline-spec.js";
import { DEFAULT_POOLED } from "../src/domain/forecast/pooled-model.js";
import { SEASONAL_SPEC, type SeasonalSpec } from "../src/domain/forecast/seasonal-design.js";
import { POOLED_GBT_SPEC } from "./references/pooled-gbt.js";

/**
 * Variants of the forecasting pipeline the bench compares with the default (`--variants`): each
 * changes one choice, so that its effect on the tuning half and on the test half can be read
 * apart. "optiflow" is always the default, as the batch runs it.
 */
export const PIPELINE_VARIANTS: ReadonlyMap<string, PipelineSpec> = new Map<string, PipelineSpec>([
  ["optiflow", DEFAULT_PIPELINE],
  [
    "before this round (Prophet-like by default, no pooled model)",
    { ...DEFAULT_PIPELINE, pooled: null, selection: { ...DEFAULT_SELECTION, storeDefault: false } },
  ],
  ["no pooled model", { ...DEFAULT_PIPELINE, pooled: null }],
  [
    "no store default (Prophet-like by default)",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, storeDefault: false } },
  ],
  [
    "default model per demand class",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, classDefaults: true } },
  ],
  ["no calibration", { ...DEFAULT_PIPELINE, calibration: false }],
  // The demand over a protection period (SPEC §4's Q_s): each variant changes one choice of the
  // default's period level (level-uncertainty.ts), or drops it.
  [
    "days of a period independent (no period level)",
    { ...DEFAULT_PIPELINE, periodLevel: undefined },
  ],
  ...periodLevelVariants(),
  ...seasonalVariants(),
  // Noise, not a choice: the same pipeline on other samples of the pooled model's rows.
  ...[1, 2].map((seed): [string, PipelineSpec] => [
    `pooled model's rows sampled with seed ${seed}`,
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, sampleSeed: seed } },
  ]),
  // A choice, tried and left out: a systematic sample (docs/FORECASTING.md), on three seeds too.
  ...[0, 1, 2].map((seed): [string, PipelineSpec] => [
    `pooled model's rows sampled systematically with seed ${seed}`,
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, sample: "systematic", sampleSeed: seed } },
  ]),
  // Noise, not a choice: the store default chosen on other samples of the store's series.
  ...[2, 3, 4].map((seed): [string, PipelineSpec] => [
    `store default's series sampled with seed ${seed}`,
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, defaultSampleSeed: seed } },
  ]),
  // The samples as they were drawn before 2026-12-03, by each series' place in the list.
  ["samples by the series' place in the list", { ...DEFAULT_PIPELINE, samplesByPosition: true }],
  // Series never sold before the origin in the store-wide parts, as before 2026-12-04.
  ["never-sold series in the store's samples", { ...DEFAULT_PIPELINE, neverSoldTeaches: true }],
  ["pooled model's ridge 0.1", { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, ridge: 0.1 } }],
  ["pooled model's ridge 10", { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, ridge: 10 } }],
  [
    "store default chosen on 300 series",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, defaultSample: 300 } },
  ],
  [
    "store default chosen on 75 series",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, defaultSample: 75 } },
  ],
  [
    "pooled model trained from 52 origins a week apart",
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, origins: 52, every: 7 } },
  ],
  [
    "pooled model trained from 26 origins a week apart (half a year)",
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, origins: 26, every: 7 } },
  ],
  [
    "pooled model trained from 13 origins four weeks apart",
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, origins: 13, every: 28 } },
  ],
  [
    "calibration factors from any number of series",
    { ...DEFAULT_PIPELINE, calibrationMinSeries: 0 },
  ],
  [
    "calibration factors from 20 series at least",
    { ...DEFAULT_PIPELINE, calibrationMinSeries: 20 },
  ],
  [
    "store default a single candidate",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, defaultEnsemble: false } },
  ],
  [
    "pooled model trained through the selection windows",
    { ...DEFAULT_PIPELINE, pooledSeesSelection: true },
  ],
  ["nominal P10–P90 band", { ...DEFAULT_PIPELINE, intervals: false }],
  ...promotionVariants(),
  [
    "nominal band below 300 held-out days in a store",
    { ...DEFAULT_PIPELINE, intervalStoreMinDays: 300 },
  ],
  [
    "no ensemble",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, ensembleMargin: null } },
  ],
  [
    "two best averaged unless worse",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, ensembleMargin: 1 } },
  ],
  [
    "switch margin 0.7",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, switchMargin: 0.7 } },
  ],
  [
    "switch margin 0.5",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, switchMargin: 0.5 } },
  ],
  [
    "store default kept by every series",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, switchMargin: 0 } },
  ],
  [
    "store default on relative errors",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, defaultScore: "relative" } },
  ],
  [
    "store default on relative errors and kept by every series",
    {
      ...DEFAULT_PIPELINE,
      selection: { ...DEFAULT_SELECTION, defaultScore: "relative", switchMargin: 0 },
    },
  ],
  [
    "store default on the recent windows only",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, yearAgoDefault: false } },
  ],
  ["quiet series calibrated with their class", { ...DEFAULT_PIPELINE, quietCalibration: false }],
  ["quiet factor per store only", { ...DEFAULT_PIPELINE, quietAcrossStores: false }],
  [
    "sudden stops not counted as quiet",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, quietStops: undefined } },
  ],
  [
    "sudden stops of 10 units count as quiet",
    {
      ...DEFAULT_PIPELINE,
      selection: { ...DEFAULT_SELECTION, quietStops: { ...SUDDEN_STOP, units: 10 } },
    },
  ],
  [
    "sudden stops from 4 days count as quiet",
    {
      ...DEFAULT_PIPELINE,
      selection: { ...DEFAULT_SELECTION, quietStops: { ...SUDDEN_STOP, days: 4 } },
    },
  ],
  [
    "unrecorded empty shelves (runs of 7 days, 20 units)",
    { ...DEFAULT_PIPELINE, shelfGaps: SUDDEN_STOP },
  ],
  [
    "unrecorded empty shelves (runs of 7 days, 10 units)",
    { ...DEFAULT_PIPELINE, shelfGaps: { ...SUDDEN_STOP, units: 10 } },
  ],
  [
    "unrecorded empty shelves (runs of 7 to 28 days, 20 units)",
    { ...DEFAULT_PIPELINE, shelfGaps: { ...SUDDEN_STOP, maxDays: 28 } },
  ],
  [
    "unrecorded empty shelves (runs of 7 days, 20 units at both ends)",
    { ...DEFAULT_PIPELINE, shelfGaps: { ...SUDDEN_STOP, rateAfter: true } },
  ],
  [
    "unrecorded empty shelves (ended within a year, 7 days, 20 units at both ends)",
    { ...DEFAULT_PIPELINE, shelfGaps: { ...SUDDEN_STOP, rateAfter: true, withinDays: 365 } },
  ],
  [
    "unrecorded empty shelves (ended within 8 weeks, 7 days, 20 units at both ends)",
    { ...DEFAULT_PIPELINE, shelfGaps: { ...SUDDEN_STOP, rateAfter: true, withinDays: 56 } },
  ],
  ["ensemble of 3", { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, ensembleSize: 3 } }],
  [
    "ensemble of every candidate",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, ensembleSize: 20 } },
  ],
  [
    "five selection windows",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, recentWindows: 5 } },
  ],
  [
    "year-ago window",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, yearAgoWindow: true } },
  ],
  ["pooled model alone", { ...DEFAULT_PIPELINE, candidates: ["pooled"] }],
  [
    "pooled model alone with interactions",
    {
      ...DEFAULT_PIPELINE,
      candidates: ["pooled"],
      pooled: { ...DEFAULT_POOLED, interactions: true },
    },
  ],
  [
    "pooled model with interactions",
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, interactions: true } },
  ],
  [
    "pooled model fitted on 80k rows",
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, maxRows: 80_000, warmStartRows: 8_000 } },
  ],
  [
    "pooled model fitted on 40k rows",
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, maxRows: 40_000, warmStartRows: 8_000 } },
  ],
  [
    "pooled model fitted on 10k rows",
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, maxRows: 10_000, warmStartRows: 4_000 } },
  ],
  [
    "pooled model's Newton steps on 8k rows",
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, warmStartRows: 8_000 } },
  ],
  [
    "pooled model alone with boosted trees",
    {
      ...DEFAULT_PIPELINE,
      candidates: ["pooled"],
      pooled: { ...DEFAULT_POOLED, boost: DEFAULT_BOOST },
    },
  ],
  [
    "pooled model with boosted trees",
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, boost: DEFAULT_BOOST } },
  ],
  ...[1.2, 1.5].map((power): [string, PipelineSpec] => [
    `pooled model with a Tweedie loss of power ${power}`,
    { ...DEFAULT_PIPELINE, pooled: { ...DEFAULT_POOLED, tweediePower: power } },
  ]),
  ...[1.2, 1.5].map((power): [string, PipelineSpec] => [
    `pooled model alone with a Tweedie loss of power ${power}`,
    {
      ...DEFAULT_PIPELINE,
      candidates: ["pooled"],
      pooled: { ...DEFAULT_POOLED, tweediePower: power },
    },
  ]),
  ["pooled model with the bar's trees", { ...DEFAULT_PIPELINE, pooled: POOLED_GBT_SPEC }],
  ["pooled model fitted per store", { ...DEFAULT_PIPELINE, pooledAcrossStores: false }],
  ["pooled model across stores on one store's rows", { ...DEFAULT_PIPELINE, chainRows: "store" }],
  [
    "default model chosen per store",
    {
      ...DEFAULT_PIPELINE,
      selection: { ...DEFAULT_SELECTION, defaultAcrossStores: false },
    },
  ],
  [
    "intermittent series shrunk to their 28-day mean",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, shrinkIntermittent: true } },
  ],
  [
    "intermittent series not shrunk",
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, shrinkIntermittent: false } },
  ],
  ...[Number.POSITIVE_INFINITY, 1.5, 1.2, 1.1].map((ratio): [string, PipelineSpec] => [
    ratio === Number.POSITIVE_INFINITY
      ? "every series averaged with the pooled model"
      : `averaged with the pooled model within ${ratio}× the choice's error`,
    { ...DEFAULT_PIPELINE, selection: { ...DEFAULT_SELECTION, blendPooled: ratio } },
  ]),
  ["chosen 6 days before", { ...DEFAULT_PIPELINE, selectedDaysBefore: 6 }],
  ["chosen 7 days before", { ...DEFAULT_PIPELINE, selectedDaysBefore: 7 }],
  ["chosen 13 days before", { ...DEFAULT_PIPELINE, selectedDaysBefore: 13 }],
  ["chosen 27 days before", { ...DEFAULT_PIPELINE, selectedDaysBefore: 27 }],
]);

/**
 * The Prophet-like model's calendar penalties a third and three times as large, and its weights'
 * half-life halved and doubled, one at a time.
 */
function seasonalVariants(): [string, PipelineSpec][] {
  const variant = (name: string, change: Partial<SeasonalSpec>): [string, PipelineSpec] => [
    name,
    { ...DEFAULT_PIPELINE, seasonal: { ...SEASONAL_SPEC, ...change } },
  ];
  const keys = ["trend", "changepoint", "weekday", "yearly"] as const;
  return [
    ...keys.flatMap((key) =>
      [1 / 3, 3].map((times) => {
        const value = Math.round(SEASONAL_SPEC[key] * times * 100) / 100;
        return variant(`Prophet-like ${key} penalty ${value}`, { [key]: value });
      }),
    ),
    ...[182, 730].map((days) =>
      variant(`Prophet-like weights halved every ${days} days`, { halfLifeDays: days }),
    ),
    variant("Prophet-like mean back-transform (smearing)", { backTransform: "mean" }),
  ];
}

/** The Prophet-like model's promotion penalties: fewer or more to choose among, another default. */
function promotionVariants(): [string, PipelineSpec][] {
  const variant = (name: string, change: Partial<PromotionPenalties>): [string, PipelineSpec] => [
    name,
    { ...DEFAULT_PIPELINE, promotionPenalties: { ...PROMOTION_PENALTIES, ...change } },
  ];
  return [
    variant("promotion penalty 4 alone", { choices: [4] }),
    variant("promotion penalties 4 and 1", { choices: [4, 1] }),
    variant("promotion penalties down to 0.0625", { choices: [4, 1, 0.25, 0.0625] }),
    variant("promotion penalties from 16", { choices: [16, 4, 1, 0.25] }),
    variant("promotion penalty 16 where the windows hold none", { unchosen: 16 }),
    variant("promotion penalty 1 where the windows hold none", { unchosen: 1 }),
    variant("promotion penalties from 16 and 16 where the windows hold none", {
      choices: [16, 4, 1, 0.25],
      unchosen: 16,
    }),
  ];
}

function periodLevelVariants(): [string, PipelineSpec][] {
  const level = DEFAULT_PIPELINE.periodLevel as PeriodLevelSpec;
  const variant = (name: string, change: Partial<PeriodLevelSpec>): [string, PipelineSpec] => [
    name,
    { ...DEFAULT_PIPELINE, periodLevel: { ...level, ...change } },
  ];
  return [
    variant("period level without a floor for forecasts of almost nothing", { floor: false }),
    variant("period level's floor from the store where a class has none", { floorFromStore: true }),
    variant("period level learned without the weeks its floor is learned from", {
      floorApart: true,
    }),
    variant("period level's floor learned on 28-day totals", { floorBlockDays: 28 }),
    variant("period level learned on 14-day totals", { blockDays: 14 }),
    variant("period level learned on 28-day totals", { blockDays: 28 }),
    variant("period level per store only", { minClassSeries: Number.POSITIVE_INFINITY }),
    variant("period level per class from 30 series", { minClassSeries: 30 }),
    variant("period level per store from 20 series", { minSeries: 20 }),
    variant("period level's variance weighted by F²", { byTotals: false }),
    variant("period level of a small store: variance 0.09", {
      fallback: { factor: 1, variance: 0.09 },
    }),
    variant("period level of a small store: variance 0.15", {
      fallback: { factor: 1, variance: 0.15 },
    }),
    variant("period level without its factor (the served centre)", { factor: false }),
    variant("period level of a small store: the default (not its chain's)", {
      acrossStores: false,
    }),
  ];
}
