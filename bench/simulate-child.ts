import { openDatabaseReadonly } from "../src/data/open.js";
import { dayFromIso } from "../src/domain/calendar/days.js";
import { DEFAULT_SERVICE_LEVELS } from "../src/domain/replenishment/abc-xyz.js";
import { runSimulation } from "../src/simulation/run-simulation.js";
import { peakRssMb } from "./peak-rss.js";

/**
 * `optiflow simulate`'s work (both policies, weekly origins) in its own process, so that its
 * time and peak memory are measured alone: the last `weeks` weeks before `today`.
 */
const [dbPath, today, weeksText] = process.argv.slice(2) as [string, string, string];
const weeks = Number(weeksText);
const db = openDatabaseReadonly(dbPath);
const started = performance.now();
const phases: Record<string, number> = {};
const result = await runSimulation(db, {
  from: dayFromIso(today) - 7 * weeks,
  weeks,
  policies: ["marge", "niveau_de_service"],
  marginPct: 10,
  storeId: null,
  countOpenOrders: true,
  serviceLevels: DEFAULT_SERVICE_LEVELS,
  carryingCostRate: 0.2,
  country: "FR",
  onProgress: (phase) => {
    phases[phase] ??= (performance.now() - started) / 1000;
  },
});
db.close();
process.stdout.write(
  JSON.stringify({
    seconds: (performance.now() - started) / 1000,
    firstReplaySecond: phases.replay ?? null,
    maxRssMb: peakRssMb(),
    series: result.series,
    weeks,
  }),
);
