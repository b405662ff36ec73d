import type { Publication } from "../../data/optiflow/published-results.js";
import { ApiError } from "../api-error.js";
import type { ServerDeps } from "../server-deps.js";

export function requirePublished(deps: ServerDeps): Publication {
  return refuseUnpublished(deps.publication());
}

/** The publication read, or the 503 every page answers before the first batch has published. */
export function refuseUnpublished(publication: Publication | null): Publication {
  if (!publication)
    throw new ApiError(
      503,
      "not_published",
      "no batch results published yet: the first batch is running or has not run (optiflow ml batch)",
    );
  return publication;
}
