import type { Db } from "../data/open.js";
import { openOptiflowReader } from "../data/optiflow/open-optiflow.js";
import { type Publication, requirePublication } from "../data/optiflow/published-results.js";
import type { CliContext } from "./cli-context.js";

/**
 * Opens the database read-only and hands the last published run to `read`. Every JSON output
 * of published results carries `computedAt` and `stale` (issue: CLI contract).
 */
export function withPublication<T>(
  context: CliContext,
  dbOption: string | undefined,
  read: (db: Db, publication: Publication) => T,
  options: { snapshot?: boolean } = {},
): T {
  const config = context.config(dbOption);
  const db = openOptiflowReader(config.dbPath);
  let result: T;
  try {
    // A read of many statements over seconds (an export, series after series) in one snapshot:
    // a batch publishing meanwhile deletes the previous run's daily rows.
    if (options.snapshot) db.exec("BEGIN");
    result = read(db, requirePublication(db, context.now(), config.cacheDurationHours));
  } catch (error) {
    db.close();
    throw error;
  }
  // An asynchronous reader (a streamed export) keeps the connection until it settles.
  if (result instanceof Promise) return result.finally(() => db.close()) as T;
  db.close();
  return result;
}

export function publicationHeader(publication: Publication): string[] {
  const lines = [
    `Résultats calculés le ${localDateTime(publication.computedAt)} (batch du ${publication.today}, run ${publication.runId})`,
  ];
  if (publication.stale)
    lines.push(
      `ATTENTION : ces résultats ont plus de ${publication.staleAfterHours} heures (dernier batch publié trop ancien).`,
    );
  if (publication.lastFailure) {
    lines.push(
      `ATTENTION : le batch ${publication.lastFailure.runId} du ${localDateTime(publication.lastFailure.startedAt)} a échoué (${publication.lastFailure.error ?? "erreur"}); les résultats affichés sont ceux du dernier batch publié.`,
    );
  }
  return lines;
}

/**
 * "03/12/2026 à 00:31" in this machine's time zone, as the pages say it in the browser's: the
 * stored instant is UTC, which a manager reading the line at 7 a.m. would have to convert.
 */
export function localDateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const date = at.toLocaleDateString("fr-FR");
  const time = at.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
  return `${date} à ${time}`;
}

export function publicationMeta(publication: Publication): {
  computedAt: string;
  stale: boolean;
  runId: number;
  today: string;
} {
  return {
    computedAt: publication.computedAt,
    stale: publication.stale,
    runId: publication.runId,
    today: publication.today,
  };
}
