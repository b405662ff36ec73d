import { createRng, poisson } from "../demo/random.js";
import { SUDDEN_STOP } from "../domain/forecast/dormancy.js";
import type { StoreCalendar, StoreSeries } from "../domain/forecast/model-input.js";
import { DEFAULT_PIPELINE, DEFAULT_SELECTION } from "../domain/forecast/pipeline-spec.js";
import { selectionWindows } from "../domain/forecast/select-model.js";

/** Days of history; the forecast's origin is the day after them. */
export const STOPPED_DAYS = 900;
export const STOPPED_HORIZON = 28;
/** Series per group: steady, stopped before one selection window each, stopped at the origin. */
export const STOP_GROUP = 12;

/**
 * A store of steady sellers (3 to 9 a day), in five groups of STOP_GROUP series. The first sells
 * all along. The next three stop selling a week before one of the selection windows each and sell
 * nothing through it, then sell again (delistings, recalls). The last has stopped a week before
 * the origin. Keys are "k" with k the series' index.
 */
export function storeWithStops(): StoreSeries[] {
  const days = STOPPED_DAYS;
  const rng = createRng(5);
  const calendar: StoreCalendar = {
    firstDay: 19_000,
    length: days + STOPPED_HORIZON,
    open: new Uint8Array(days + STOPPED_HORIZON).fill(1),
    events: [],
  };
  const { scoring } = selectionWindows(days, DEFAULT_SELECTION);
  const stops = [...scoring, days];
  return Array.from({ length: STOP_GROUP * (stops.length + 1) }, (_, k) => {
    const level = 3 + 6 * rng();
    const sales = new Float64Array(days + STOPPED_HORIZON).fill(Number.NaN);
    for (let t = 0; t < days; t++) sales[t] = poisson(rng, level);
    const stop = stops[Math.floor(k / STOP_GROUP) - 1];
    if (stop !== undefined)
      sales.fill(0, stop - SUDDEN_STOP.days, Math.min(days, stop + STOPPED_HORIZON));
    return {
      key: String(k),
      input: { sales, discount: new Float32Array(days + STOPPED_HORIZON), calendar },
      knownDays: days,
      categoryId: null,
    };
  });
}

/**
 * The default pipeline with every candidate but the seasonal naive and the pooled model. The
 * seasonal naive repeats the empty week, so that it wins the windows that began with a stop, and
 * its forecasts of nothing leave no week to learn a factor from. The pooled model reads the stop
 * in its features (the last week's sales): on some samples of its rows it forecast those windows
 * a twentieth of a normal week, chosen for 58 of the 60 series, and left the factor nothing to
 * correct. The factor is what these fixtures test.
 */
export const STOPPED_SPEC = {
  ...DEFAULT_PIPELINE,
  candidates: ["weekday_mean_8w", "moving_average_28d", "tsb", "prophet_like"],
};
