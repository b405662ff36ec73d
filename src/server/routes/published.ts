import type { Publication } from "../../data/optiflow/published-results.js";
import { ApiError } from "../api-error.js";
import type { ServerDeps } from "../server-deps.js";

export function requirePublished(deps: ServerDeps): Publication {
  const publication = deps.publication();
  if (!publication)
    throw new ApiError(
      503,
      "not_published",
      "no batch results published yet: the first batch is running or has not run (optiflow ml batch)",
    );
  return publication;
}
