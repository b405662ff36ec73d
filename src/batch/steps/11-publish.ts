import { pruneOldRuns, publishRun } from "../../data/optiflow/runs-repository.js";
import type { BatchStep } from "../batch-context.js";

/**
 * Step 11: the run becomes the one pages show, in one UPDATE. It needs every step whose results
 * a page shows; if one failed, the previous publication stays and the failure is shown beside it.
 */
export const publishStep: BatchStep = {
  id: "11",
  name: "publication",
  needs: ["2", "3", "4", "5", "6", "7", "8", "9", "10", "A", "B"],
  run(ctx) {
    publishRun(ctx.db, ctx.runId, ctx.now().toISOString());
    pruneOldRuns(ctx.db, 14, 70, ctx.todayIso, ctx.runId);
    return { published: ctx.runId };
  },
};
