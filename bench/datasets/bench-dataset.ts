import type { SeriesInput, StoreCalendar } from "../../src/domain/forecast/model-input.js";

/** A data set prepared for the accuracy benchmark: the last `horizon` days are hidden. */
export interface BenchDataset {
  name: string;
  description: string;
  calendar: StoreCalendar;
  series: { id: string; input: SeriesInput }[];
  /** Index of the first hidden day. */
  origin: number;
  horizon: number;
  /** Hidden actuals per series (the models never see them). */
  actuals: Map<string, Float64Array>;
  /** Whether values are log-scale page views rather than unit sales (Prophet's example). */
  continuous?: boolean;
}

/** Copies `sales` and blanks the hidden window, so no model can peek at it. */
export function hideFinalWindow(
  sales: Float64Array,
  origin: number,
): { visible: Float64Array; hidden: Float64Array } {
  const visible = new Float64Array(sales.length).fill(Number.NaN);
  visible.set(sales.subarray(0, origin));
  return { visible, hidden: sales.slice(origin) };
}
