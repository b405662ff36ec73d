import { useEffect, useState } from "react";
import { type AlertView, api, type QuantityCalculation } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";
import { BridgeTheWait } from "./bridge-the-wait.js";
import { type QuantityNote, quantityNoteText } from "./quantity-note-text.js";
import { useStockAtDelivery } from "./stock-at-delivery.js";

/**
 * SPEC §4 calculator: target date and margin adjustable, result live. Side by side, the brief's
 * margin quantity with its formula and the service-level quantity, each with its probability of
 * not running out; the stock expected at delivery, the observed lead time, and why a quantity
 * was raised or capped (shelf life, safety stock, minimum order). Texts in the user's language.
 */
export function QuantityCalculator({
  alert,
  today,
  onAdd,
  onClose,
}: {
  alert: AlertView;
  today: string;
  onAdd: (quantity: number) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [target, setTarget] = useState(alert.targetDate ?? "");
  const [margin, setMargin] = useState(String(alert.marginPct));
  const { result, error } = useCalculation(alert, target, margin);
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
            value={target}
            min={today}
            onChange={(e) => setTarget(e.target.value)}
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
        <CalculationResult alert={alert} result={result} today={today} onAdd={onAdd} />
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          {t("close")}
        </button>
      </div>
    </div>
  );
}

/** Both quantities side by side, then the stock at delivery and the lead time observed. */
function CalculationResult({
  alert,
  result,
  today,
  onAdd,
}: {
  alert: AlertView;
  result: QuantityCalculation;
  today: string;
  onAdd: (quantity: number) => void;
}) {
  const { t, number } = useI18n();
  const stockAtDelivery = useStockAtDelivery();
  return (
    <>
      <div className="side-by-side">
        <MarginChoice alert={alert} result={result} today={today} onAdd={onAdd} />
        <ServiceChoice alert={alert} result={result} onAdd={onAdd} />
      </div>
      <p data-testid="calc-stock-at-delivery">
        {stockAtDelivery(result.leadTime, result.stockAtDelivery, alert.unit, result.salesLost)}
      </p>
      {result.leadTimeP50 !== null && (
        <p className="muted">
          {t("leadObserved", {
            planned: result.leadTime,
            p50: number(result.leadTimeP50, 1),
            p90: number(result.leadTimeP90, 1),
          })}
        </p>
      )}
    </>
  );
}

/** The server's calculation for the target date and margin typed, asked once typing pauses. */
function useCalculation(alert: AlertView, target: string, margin: string) {
  const { errorText } = useI18n();
  const [result, setResult] = useState<QuantityCalculation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const marginValue = Number(margin.replace(",", "."));
    if (!target || margin.trim() === "" || !Number.isFinite(marginValue)) return;
    const timer = setTimeout(() => {
      api
        .calc({ article: alert.articleId, store: alert.storeId, date: target, margin: marginValue })
        .then(
          (r) => {
            setResult(r.results[0] ?? null);
            setError(null);
          },
          (e: Error) => setError(errorText(e)),
        );
    }, 150);
    return () => clearTimeout(timer);
  }, [alert, target, margin, errorText]);
  return { result, error };
}

/** Why a quantity was raised or capped, in the user's language and figures. */
function useNoteText(unit: string): (n: QuantityNote) => string {
  const { t, number, date } = useI18n();
  return (n) => quantityNoteText(n, unit, { t, number, date });
}

interface ChoiceProps {
  alert: AlertView;
  result: QuantityCalculation;
  onAdd: (quantity: number) => void;
}

/** The brief's margin quantity, its probability of not running out, and its formula spelled out. */
function MarginChoice({ alert, result, today, onAdd }: ChoiceProps & { today: string }) {
  const { t, number, percent, date } = useI18n();
  const note = useNoteText(alert.unit);
  return (
    <section className="choice" aria-labelledby="calc-margin-title">
      <h4 id="calc-margin-title">{t("marginQuantity")}</h4>
      <p className="result">
        <strong data-testid="calc-quantity">{number(result.quantity, 3)}</strong> {alert.unit}
      </p>
      <p data-testid="calc-margin-probability">
        {t("probability", { p: percent(result.probability) })}
      </p>
      <p className="formula" data-testid="calc-formula">
        {t("formula", {
          from: date(today),
          to: date(result.targetDate),
          forecast: number(result.forecastToTarget, 2),
          stock: number(result.stockActuel, 2),
          margin: number(result.marginPct, 2),
          raw: number(Math.max(0, result.raw), 2),
          pack: number(result.packSize, 2),
          minimum:
            result.minimumOrder > 0
              ? t("formulaMinimum", { minimum: number(result.minimumOrder, 2) })
              : "",
          quantity: number(result.quantity, 3),
        })}
      </p>
      {result.notes.map((n) => (
        <p key={n.code} className="note" data-testid={`margin-note-${n.code}`}>
          {note(n)}
        </p>
      ))}
      <button
        type="button"
        disabled={result.quantity <= 0}
        onClick={() => onAdd(result.quantity)}
        data-testid="add-to-order"
      >
        {t("addMargin")}
      </button>
      <BridgeTheWait result={result} onAdd={onAdd} />
    </section>
  );
}

/** The quantity for the article's service level (by its ABC class) and its probability. */
function ServiceChoice({ alert, result, onAdd }: ChoiceProps) {
  const { t, number, percent } = useI18n();
  const note = useNoteText(alert.unit);
  return (
    <section className="choice" aria-labelledby="calc-service-title">
      <h4 id="calc-service-title">
        {t("serviceQuantity", { level: percent(result.service.level) })}
        {result.abc ? ` (${result.abc}${result.xyz ?? ""})` : ""}
      </h4>
      <p className="result">
        <strong data-testid="calc-service-quantity">{number(result.service.quantity, 3)}</strong>{" "}
        {alert.unit}
      </p>
      <p data-testid="calc-service-probability">
        {t("probability", { p: percent(result.service.probability) })}
      </p>
      {result.service.notes.map((n) => (
        <p key={n.code} className="note" data-testid={`note-${n.code}`}>
          {note(n)}
        </p>
      ))}
      <button
        type="button"
        className="secondary"
        disabled={result.service.quantity <= 0}
        onClick={() => onAdd(result.service.quantity)}
        data-testid="add-service-to-order"
      >
        {t("addService")}
      </button>
    </section>
  );
}
