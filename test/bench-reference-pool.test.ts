import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BenchStore } from "../bench/datasets/panel.js";

/**
 * The bench's slow references run on worker threads (the compiled pool: its workers load compiled
 * files). augurs Prophet's fit depends on the fits its thread ran before, so a reference's
 * figures must not depend on which worker happened to be free: the same Prophet tasks give the
 * same forecasts whatever other tasks run around them.
 */
const BUILT_POOL = new URL("../dist/bench/rolling-bench.js", import.meta.url);
const PROPHET_LOG = "augurs_prophet (log1p + events)";
const PROPHET_RAW = "augurs_prophet (raw + events)";
const MSTL = "augurs_mstl_ets";
const DAYS = 420;
const ORIGINS = [364, 378, 392];

/**
 * One store, two series with a weekly shape, noise, and four kinds of events: the more kinds, the
 * more a fit depends on its thread's history (with four, six fits in a row of one series gave
 * five or six different forecasts).
 */
function store(): BenchStore {
  const events = ["PROMOTION", "FERIE", "SOLDES", "LOCAL"].map((type, j) => {
    const active = new Uint8Array(DAYS + 28);
    for (let d = 20 + 13 * j; d < DAYS + 28; d += 45 + 10 * j) active[d] = 1;
    return { type, active };
  });
  const calendar = {
    firstDay: 19_000,
    length: DAYS + 28,
    open: new Uint8Array(DAYS + 28).fill(1),
    events,
  };
  let seed = 7;
  const random = () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const series = [1, 2].map((k) => {
    const sales = new Float64Array(DAYS + 28);
    for (let d = 0; d < sales.length; d++) {
      const lift = events.reduce((sum, e) => sum + 0.7 * e.active[d]!, 1);
      sales[d] = Math.round(k * (6 + 3 * Math.sin((2 * Math.PI * d) / 7)) * lift + 6 * random());
    }
    return {
      id: `s${k}`,
      input: { sales, discount: new Float32Array(DAYS + 28), calendar },
      categoryId: null,
    };
  });
  return { id: "store", calendar, series };
}

type Pool = import("../bench/rolling-bench.js").ReferencePool;

/** Every Prophet forecast of the tasks, by model, origin and series, as the pool returned them. */
async function prophetForecasts(pool: Pool, tasks: readonly [string, number][]) {
  const bench = [store()];
  const runs = await Promise.all(
    tasks.map(
      async ([model, origin]) =>
        [model, origin, await pool.run(model, bench, origin, null)] as const,
    ),
  );
  const out: Record<string, number[]> = {};
  for (const [model, origin, run] of runs)
    if (model !== MSTL)
      for (const [id, forecast] of run.forecasts) out[`${model} ${origin} ${id}`] = [...forecast];
  return out;
}

describe.skipIf(!existsSync(BUILT_POOL))("the bench's pool of slow references", () => {
  it("gives each Prophet task the same forecast whatever runs around it", async () => {
    const { ReferencePool } = (await import(
      BUILT_POOL.href
    )) as typeof import("../bench/rolling-bench.js");
    const prophet = ORIGINS.flatMap((o) => [
      [PROPHET_LOG, o] as [string, number],
      [PROPHET_RAW, o] as [string, number],
    ]);
    const alone = new ReferencePool(2);
    const mixed = new ReferencePool(2);
    try {
      const first = await prophetForecasts(alone, prophet);
      // The same Prophet tasks in the same order, with MSTL fits before and between them: under
      // a pool that hands each task to whichever worker is free, the fits land on other threads.
      const withOthers: [string, number][] = [
        [MSTL, 364],
        ...prophet.flatMap((task, k) =>
          k % 3 === 0 ? [task, [MSTL, 378] as [string, number]] : [task],
        ),
      ];
      const second = await prophetForecasts(mixed, withOthers);
      expect(Object.keys(first)).toHaveLength(ORIGINS.length * 2 * 2);
      expect(Object.values(first).every((f) => f.length === 28 && f.some((v) => v > 0))).toBe(true);
      expect(second).toEqual(first);
    } finally {
      await Promise.all([alone.close(), mixed.close()]);
    }
  }, 120_000);
});
