import { declaredEventProblem } from "../../domain/user-input/declared-event.js";
import { feedbackProblem } from "../../domain/user-input/forecast-feedback.js";
import type { DataAnomaly } from "../legacy/data-checks.js";
import type { Db } from "../open.js";
import { hasOptiflowTable } from "./results-repository.js";
import { listEvents, listFeedback } from "./user-input-repository.js";

const SAMPLE_LIMIT = 5;

/**
 * Users' rows the batch cannot use (written before a rule existed, or by hand): each is skipped
 * by the steps that read it and listed here, so that one bad row never fails a night and
 * nobody wonders why an event had no effect.
 */
export function findUserInputAnomalies(db: Db): DataAnomaly[] {
  if (!hasOptiflowTable(db, "optiflow_events")) return [];
  const events = listEvents(db).flatMap((event) => {
    const problem = declaredEventProblem(event);
    return problem ? [{ id: event.id, name: event.name, problem: problem.message }] : [];
  });
  const feedback = listFeedback(db).flatMap((row) => {
    const problem = feedbackProblem(row);
    return problem ? [{ id: row.id, date: row.date, problem: problem.message }] : [];
  });
  const orderLines = (
    db
      .prepare(
        "SELECT article_id AS articleId, magasin_id AS storeId, quantity FROM optiflow_order_lines",
      )
      .all() as { articleId: number; storeId: number; quantity: number }[]
  ).filter(
    (l) => typeof l.quantity !== "number" || !Number.isFinite(l.quantity) || l.quantity <= 0,
  );
  const anomaly = (table: string, description: string, rows: unknown[]): DataAnomaly[] =>
    rows.length === 0
      ? []
      : [
          {
            kind: "invalid_user_input",
            table,
            count: rows.length,
            description,
            samples: rows.slice(0, SAMPLE_LIMIT),
          },
        ];
  return [
    ...anomaly("optiflow_events", "événement déclaré inutilisable (ignoré)", events),
    ...anomaly("optiflow_feedback", "retour sur prévision inutilisable (ignoré)", feedback),
    ...anomaly(
      "optiflow_order_lines",
      "ligne de commande en préparation sans quantité valable",
      orderLines,
    ),
  ];
}
