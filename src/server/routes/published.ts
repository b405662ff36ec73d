import type { Publication } from "../../data/optiflow/published-results.js";
import type { ServerDeps } from "../server-deps.js";

export class NotPublishedYetError extends Error {
  readonly statusCode = 503;
  constructor() {
    super(
      "no batch results published yet: the first batch is running or has not run (optiflow ml batch)",
    );
    this.name = "NotPublishedYetError";
  }
}

export function requirePublished(deps: ServerDeps): Publication {
  const publication = deps.publication();
  if (!publication) throw new NotPublishedYetError();
  return publication;
}

/**
 * A cached answer was serialized with the publication as it was then; `stale` and the last
 * failure change with time and later runs, so they are re-stamped on every response.
 */
export function withFreshStatus(json: string, publication: Publication): string {
  // Later keys win when JSON is parsed: the fresh values are appended after the cached ones.
  return `${json.slice(0, -1)},"stale":${publication.stale},"lastFailure":${JSON.stringify(publication.lastFailure)}}`;
}
