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
