import type { PrecisionFigures } from "../../../src/domain/kpi/precision.js";
import { useI18n } from "../i18n/i18n.js";

/**
 * Beside the precision: what the mean of the last 28 days, a buyer's rule of thumb, scored on the
 * same weeks. A precision alone says little; against the rule it replaces, it says what the
 * forecasts are worth. Runs published before the figure existed show nothing.
 */
export function BaselineNote({
  performance,
}: {
  performance: PrecisionFigures | null | undefined;
}) {
  const { t, precision } = useI18n();
  const baseline = performance?.baseline;
  if (!baseline || baseline.precision === null || baseline.optiflowPrecision === null) return null;
  return (
    <p className="muted" data-testid="baseline-note">
      {t("baselineComparison", {
        baseline: precision(baseline.precision),
        optiflow: precision(baseline.optiflowPrecision),
      })}
    </p>
  );
}
