import { readFileSync } from "node:fs";
import type { SeriesInput } from "../../src/domain/forecast/model-input.js";
import { applyClosedDays } from "../../src/domain/forecast/model-input.js";

/**
 * The reference models of SPEC §5, through @bsull/augurs (WebAssembly): Prophet with its Stan
 * model compiled to WASM, and MSTL with an ETS trend. Loaded lazily so that the bench still runs
 * where the packages are absent (they are dev dependencies).
 */
type ProphetModule = typeof import("@bsull/augurs/prophet");
type MstlModule = typeof import("@bsull/augurs/mstl");

export interface AugursModels {
  prophet: ProphetModule;
  mstl: MstlModule;
  optimizer: unknown;
}

export async function loadAugurs(): Promise<AugursModels | null> {
  try {
    const prophet = await import("@bsull/augurs/prophet");
    const mstl = await import("@bsull/augurs/mstl");
    const { optimizer } = await import("@bsull/augurs-prophet-wasmstan");
    // Node: the .wasm files are read from disk and initialised synchronously.
    prophet.initSync({
      module: readFileSync(
        new URL("prophet_bg.wasm", import.meta.resolve("@bsull/augurs/prophet")),
      ),
    });
    mstl.initSync({
      module: readFileSync(new URL("mstl_bg.wasm", import.meta.resolve("@bsull/augurs/mstl"))),
    });
    return { prophet, mstl, optimizer };
  } catch (error) {
    process.stderr.write(`bench: augurs unavailable: ${(error as Error).message}\n`);
    return null;
  }
}

export interface ProphetConfig {
  name: string;
  log: boolean;
  events: boolean;
}

export const PROPHET_CONFIGS: readonly ProphetConfig[] = [
  { name: "augurs_prophet (raw)", log: false, events: false },
  { name: "augurs_prophet (raw + events)", log: false, events: true },
  { name: "augurs_prophet (log1p)", log: true, events: false },
  { name: "augurs_prophet (log1p + events)", log: true, events: true },
];

const DAY = 86_400;

export function augursProphet(
  models: AugursModels,
  config: ProphetConfig,
  input: SeriesInput,
  origin: number,
  horizon: number,
): Float64Array {
  const first = input.calendar.firstDay;
  const ds: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < origin; i++) {
    const v = input.sales[i] as number;
    if (!Number.isFinite(v)) continue;
    ds.push((first + i) * DAY);
    y.push(config.log ? Math.log1p(Math.max(0, v)) : v);
  }
  if (ds.length < 14) return new Float64Array(horizon);
  const holidays = new Map<string, { occurrences: { start: number; end: number }[] }>();
  if (config.events) {
    for (const { type, active } of input.calendar.events) {
      const occurrences: { start: number; end: number }[] = [];
      for (let i = 0; i < input.calendar.length; i++)
        if (active[i] === 1)
          occurrences.push({ start: (first + i) * DAY, end: (first + i + 1) * DAY });
      if (occurrences.length > 0) holidays.set(type, { occurrences });
    }
  }
  const model = new models.prophet.Prophet({
    optimizer: models.optimizer as never,
    ...(holidays.size > 0 ? { holidays } : {}),
  });
  model.fit({ ds, y });
  const future = { ds: Array.from({ length: horizon }, (_, h) => (first + origin + h) * DAY) };
  const point = model.predict(future).yhat.point;
  const out = Float64Array.from(point, (v) => Math.max(0, config.log ? Math.expm1(v) : v));
  return applyClosedDays(out, input.calendar, origin);
}

/** MSTL (weekly and yearly periods when the history allows) with an ETS trend. */
export function augursMstl(
  models: AugursModels,
  input: SeriesInput,
  origin: number,
  horizon: number,
): Float64Array {
  // MSTL needs a gap-free series: unknown days take the value of the same weekday a week earlier.
  const start = Math.max(0, origin - 2 * 365);
  const y = new Float64Array(origin - start);
  for (let i = start; i < origin; i++) {
    const v = input.sales[i] as number;
    y[i - start] = Number.isFinite(v) ? v : i - 7 >= start ? (y[i - 7 - start] as number) : 0;
  }
  const periods = y.length >= 2 * 365 ? [7, 365] : [7];
  const model = models.mstl.MSTL.ets(periods);
  model.fit(y);
  const out = Float64Array.from(model.predict(horizon).point, (v) => Math.max(0, v));
  return applyClosedDays(out, input.calendar, origin);
}
