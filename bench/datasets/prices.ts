/** A shelf price of one series (`store/item`) from one day (an index of the panel's days) on. */
export interface PriceRow {
  key: string;
  day: number;
  price: number;
}

/**
 * Prices → a daily discount (0..1) per series against its usual (median) price: a price holds
 * until the next row, and a day dearer than usual is no discount.
 */
export function dailyDiscounts(
  rows: readonly PriceRow[],
  length: number,
): Map<string, Float32Array> {
  const prices = new Map<string, Float64Array>();
  for (const { key, day, price } of rows) {
    if (day < 0 || day >= length) continue;
    let daily = prices.get(key);
    if (!daily) {
      daily = new Float64Array(length).fill(Number.NaN);
      prices.set(key, daily);
    }
    daily[day] = price;
  }
  const out = new Map<string, Float32Array>();
  for (const [key, daily] of prices) {
    let last = Number.NaN;
    for (let i = 0; i < length; i++) {
      if (Number.isFinite(daily[i] as number)) last = daily[i] as number;
      else daily[i] = last;
    }
    const known = Array.from(daily)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const usual = known[Math.floor(known.length / 2)] ?? Number.NaN;
    const discount = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const p = daily[i] as number;
      if (Number.isFinite(p) && usual > 0 && p < usual) discount[i] = Math.min(1, 1 - p / usual);
    }
    out.set(key, discount);
  }
  return out;
}
