import type { BatchStep } from "./batch-context.js";
import { dataChecksStep } from "./steps/01-data-checks.js";
import { predictSalesStep } from "./steps/02-predict-sales.js";
import { alertsStep } from "./steps/03-alerts.js";
import { orderQuantitiesStep } from "./steps/04-order-quantities.js";
import { mlPerformanceStep } from "./steps/05-ml-performance.js";
import { healthKpisStep } from "./steps/06-health-kpis.js";
import { financialHealthStep } from "./steps/07-financial-health.js";
import { alertTrendStep } from "./steps/08-alert-trend.js";
import { urgenciesStep } from "./steps/09-urgencies.js";
import { coverageStep } from "./steps/10-coverage.js";
import { publishStep } from "./steps/11-publish.js";
import { futurePredictionsStep } from "./steps/a-future-predictions.js";
import { accuracyProofStep } from "./steps/b-accuracy-proof.js";
import { continuousImprovementStep } from "./steps/c-continuous-improvement.js";

/**
 * SPEC §6 in execution order. A, B and C run before 11 so that publication stays the very last
 * write: the three pages switch to the new run together.
 */
export const BATCH_STEPS: readonly BatchStep[] = [
  dataChecksStep,
  predictSalesStep,
  alertsStep,
  orderQuantitiesStep,
  mlPerformanceStep,
  healthKpisStep,
  financialHealthStep,
  alertTrendStep,
  urgenciesStep,
  coverageStep,
  futurePredictionsStep,
  accuracyProofStep,
  continuousImprovementStep,
  publishStep,
];
