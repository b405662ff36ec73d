import { findSalesGaps } from "../../data/legacy/data-checks.js";
import { readStores } from "../../data/legacy/read-catalog.js";
import { readStoreSalesDays } from "../../data/legacy/read-sales.js";
import { insertDataChecks } from "../../data/optiflow/results-repository.js";
import { findUserInputAnomalies } from "../../data/optiflow/user-input-checks.js";
import { isoFromDay } from "../../domain/calendar/days.js";
import { isMaskedDay, parseWeekdayMask } from "../../domain/calendar/opening-days.js";
import type { BatchStep } from "../batch-context.js";
import { findDataAnomaliesInWorkers } from "../data-checks-in-workers.js";

/**
 * Step 1: anomalies of the legacy data, reported on the Alerts page, never fixed; and users'
 * rows the batch will skip (an event with an impossible impact, say).
 */
export const dataChecksStep: BatchStep = {
  id: "1",
  name: "contrôle des données",
  needs: [],
  // Its scans are on worker threads and no step reads its result: they run while the main
  // thread alone works through steps 3 to C, after step 2, whose own threads take both cores.
  alongside: { after: "2" },
  async run(ctx) {
    const anomalies = await findDataAnomaliesInWorkers(ctx.db, ctx.todayIso, {
      besideMainThread: true,
    });
    const stores = readStores(ctx.db);
    const sold = readStoreSalesDays(
      ctx.db,
      stores.map((s) => s.id),
      ctx.today - 90,
      ctx.today,
    );
    const gaps = new Map<string, string[]>();
    for (const store of stores) {
      const mask = parseWeekdayMask(store.openingMask);
      const byDate = sold.get(store.id) ?? new Set<string>();
      const missing: string[] = [];
      for (let day = ctx.today - 90; day < ctx.today; day++) {
        if (isMaskedDay(mask, day) && !byDate.has(isoFromDay(day))) missing.push(isoFromDay(day));
      }
      // A few closed public holidays are normal; more than that is a gap in the data.
      gaps.set(store.code, missing.length > 4 ? missing : []);
    }
    const all = [...anomalies, ...findSalesGaps(gaps), ...findUserInputAnomalies(ctx.db)];
    insertDataChecks(ctx.db, ctx.runId, all);
    return { anomalies: all.length, rows: all.reduce((n, a) => n + a.count, 0) };
  },
};
