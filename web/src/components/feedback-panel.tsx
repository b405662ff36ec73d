import { useEffect, useState } from "react";
import { api } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";
import { useAsync } from "./use-async.js";

const REASONS = [
  "PROMOTION_NON_SAISIE",
  "RUPTURE",
  "EVENEMENT_EXCEPTIONNEL",
  "ERREUR_DONNEES",
] as const;

/**
 * Feedback on one article's past forecasts: given, confirmed in words, listed while it waits for
 * the next batch, and withdrawn if it was a mistake. Saving refreshes the list only, so the
 * confirmation stays on screen and the form keeps its choices (a second click does not silently
 * record the defaults).
 */
export function FeedbackPanel({
  articleId,
  storeId,
  dates,
  initialDate,
  titled = true,
}: {
  articleId: number;
  storeId: number;
  dates: string[];
  /** The day chosen elsewhere (a click on the sheet's chart): the form follows it. */
  initialDate?: string;
  /** False where the page already heads the form with the same words (the article sheet). */
  titled?: boolean;
}) {
  const { t, errorText } = useI18n();
  const [list, reload] = useAsync(() => api.feedbackList(), []);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const mine =
    list.status === "ready"
      ? list.data.feedback.filter((f) => f.articleId === articleId && f.storeId === storeId)
      : [];
  // Saving and withdrawing both report in the same banner and reload the same list.
  const act = async (work: () => Promise<unknown>, done: "feedbackSaved" | "feedbackDeleted") => {
    try {
      await work();
      setMessage({ kind: "ok", text: t(done) });
      reload();
    } catch (error) {
      setMessage({ kind: "error", text: errorText(error) });
    }
  };
  return (
    <div className="feedback" data-testid="feedback-panel">
      <FeedbackForm
        dates={dates}
        initialDate={initialDate}
        titled={titled}
        onSave={(answer) =>
          act(() => api.feedback({ articleId, storeId, ...answer }), "feedbackSaved")
        }
      />
      {message && (
        <p className={`banner ${message.kind === "ok" ? "info" : "error"}`} role="status">
          {message.text}
        </p>
      )}
      {mine.length > 0 && (
        <>
          <h3>{t("pendingFeedback")}</h3>
          <FeedbackList
            feedback={mine}
            onWithdraw={(id) => act(() => api.withdrawFeedback(id), "feedbackDeleted")}
          />
        </>
      )}
    </div>
  );
}

type Direction = "TROP_HAUT" | "TROP_BAS";
type Reason = (typeof REASONS)[number];

/** The day, the direction and the reason of one piece of feedback. */
function FeedbackForm({
  dates,
  initialDate,
  titled,
  onSave,
}: {
  dates: string[];
  initialDate: string | undefined;
  titled: boolean;
  onSave: (answer: { date: string; direction: Direction; reason: Reason }) => Promise<void>;
}) {
  const { t, date, label } = useI18n();
  const [day, setDay] = useState(initialDate ?? dates[0] ?? "");
  useEffect(() => {
    if (initialDate) setDay(initialDate);
  }, [initialDate]);
  const [direction, setDirection] = useState<Direction>("TROP_HAUT");
  const [reason, setReason] = useState<Reason>("RUPTURE");
  return (
    <form
      className="form-row"
      data-testid="feedback-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave({ date: day, direction, reason });
      }}
    >
      {titled && <strong>{t("giveFeedback")}</strong>}
      <label>
        {t("date")}
        <select name="date" value={day} onChange={(e) => setDay(e.target.value)}>
          {dates.map((d) => (
            <option key={d} value={d}>
              {date(d)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("feedbackDirection")}
        <select
          name="direction"
          value={direction}
          onChange={(e) => setDirection(e.target.value as Direction)}
        >
          <option value="TROP_HAUT">{t("tooHigh")}</option>
          <option value="TROP_BAS">{t("tooLow")}</option>
        </select>
      </label>
      <label>
        {t("reason")}
        <select name="reason" value={reason} onChange={(e) => setReason(e.target.value as Reason)}>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {label("reason", r)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t("save")}</button>
    </form>
  );
}

type Feedback = Awaited<ReturnType<typeof api.feedbackList>>["feedback"][number];

/** The article's feedback so far, each with whether a batch applied it and a way to undo it. */
function FeedbackList({
  feedback,
  onWithdraw,
}: {
  feedback: readonly Feedback[];
  onWithdraw: (id: number) => void;
}) {
  const { t, date, label } = useI18n();
  return (
    <ul className="item-list" data-testid="feedback-list">
      {feedback.map((f) => (
        <li key={f.id}>
          <span>
            {date(f.date)} · {f.direction === "TROP_HAUT" ? t("tooHigh") : t("tooLow")} ·{" "}
            {label("reason", f.reason)} ·{" "}
            {f.appliedRunId === null ? t("pending") : t("appliedInRun", { run: f.appliedRunId })}
          </span>
          <button
            type="button"
            className="secondary"
            onClick={() => onWithdraw(f.id)}
            aria-label={`${t("undo")} ${date(f.date)}`}
          >
            {t("undo")}
          </button>
        </li>
      ))}
    </ul>
  );
}
