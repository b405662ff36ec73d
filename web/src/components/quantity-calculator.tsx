import { useEffect, useState } from "react";
import { type AlertView, api, type QuantityCalculation } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

/** SPEC §4 calculator: target date and margin adjustable, result live, formula with its numbers. */
export function QuantityCalculator({
  alert,
  onAdd,
  onClose,
}: {
  alert: AlertView;
  onAdd: (quantity: number) => void;
  onClose: () => void;
}) {
  const { t, number, errorText } = useI18n();
  const [date, setDate] = useState(alert.targetDate ?? "");
  const [margin, setMargin] = useState(String(alert.marginPct));
  const [result, setResult] = useState<QuantityCalculation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const marginValue = Number(margin);
    if (!date || margin.trim() === "" || !Number.isFinite(marginValue)) return;
    const timer = setTimeout(() => {
      api.calc({ article: alert.articleId, store: alert.storeId, date, margin: marginValue }).then(
        (r) => {
          setResult(r.results[0] ?? null);
          setError(null);
        },
        (e: Error) => setError(errorText(e)),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [alert, date, margin, errorText]);
  return (
    <div className="calculator" data-testid="calculator">
      <h3>
        {t("calculator")} — {alert.reference} {alert.name} ({alert.storeCode})
      </h3>
      <div className="form-row">
        <label>
          {t("targetDate")}
          <input
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            data-testid="calc-date"
          />
        </label>
        <label>
          {t("margin")}
          <input
            type="number"
            value={margin}
            step="1"
            onChange={(e) => setMargin(e.target.value)}
            data-testid="calc-margin"
          />
        </label>
      </div>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {result && !error && (
        <>
          <p className="result">
            {t("quantity")} :{" "}
            <strong data-testid="calc-quantity">{number(result.quantity, 3)}</strong>
          </p>
          <p className="formula" data-testid="calc-formula">
            {result.formula}
          </p>
        </>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={!result || result.quantity <= 0 || !!error}
          onClick={() => result && onAdd(result.quantity)}
          data-testid="add-to-order"
        >
          {t("addToOrder")}
        </button>
        <button type="button" onClick={onClose}>
          {t("close")}
        </button>
      </div>
    </div>
  );
}
