import { shelfAfterSales } from "./stockout-day.js";

export interface ProjectedStock {
  withoutOrder: number[];
  withOrder: number[];
}

/**
 * End-of-day stock over the forecast's horizon (the article sheet's chart), without and with an
 * order of `orderQuantity` arriving on day `orderDay` (days from today): deliveries in, forecast
 * sales out. A sale the shelf cannot make is lost, as the alert's "order by" counts it
 * (stockout-day.ts). Counted as owed, the units a shelf would miss before a delivery were taken
 * from that delivery: 73 missed before 120 arrived left 37 on the chart, and it showed the
 * shelf empty again six days before it would be.
 */
export function projectedStock(
  forecast: ArrayLike<number>,
  onHand: number,
  arriving: ArrayLike<number>,
  orderDay: number,
  orderQuantity: number,
): ProjectedStock {
  const withoutOrder: number[] = [];
  const withOrder: number[] = [];
  let without = onHand;
  let withIt = onHand;
  for (let d = 0; d < forecast.length; d++) {
    const incoming = arriving[d] ?? 0;
    const sales = forecast[d] as number;
    without = shelfAfterSales(without + incoming, sales);
    withIt = shelfAfterSales(withIt + incoming + (d === orderDay ? orderQuantity : 0), sales);
    withoutOrder.push(without);
    withOrder.push(withIt);
  }
  return { withoutOrder, withOrder };
}
