/**
 * Whether the service level promised each night held. Each night's service-level quantity Q_s
 * (SPEC §4) rests on q_s, the quantile at the class's level s of the demand from that night to
 * the target date D: demand over the period should exceed it with probability 1 − s at most.
 * Once the period is over its sales say whether it did. Measured on periods that came after the
 * numbers were computed, as the stored precision is: no choice of the engine saw them.
 */
export interface ServiceCheck {
  abc: "A" | "B" | "C";
  /** The promised level s, as set the night the quantile was computed (0.98 = 98%). */
  serviceLevel: number;
  /** q_s: the demand quantile at `serviceLevel` over the period, in units. */
  quantile: number;
  /** Units sold over the period's days with known sales. */
  sold: number;
  /** Whether an open day of the period had no known demand (a stock-out): it was censored. */
  censored: boolean;
}

export type ServiceOutcome = "held" | "missed" | "unknown";

/**
 * A period with a stock-out is left out whatever it sold: at or under q_s its demand is unknown,
 * and counting it only when above would count the misses of such periods and none of their
 * holds. As the bench's check of the same levels does (bench/service-promise.ts), so that both
 * measure one thing; where the shelf ran empty is where a promise is most at risk, so the share
 * can flatter the level a little.
 */
export function serviceOutcome(check: ServiceCheck): ServiceOutcome {
  if (check.censored) return "unknown";
  return check.sold > check.quantile + 1e-9 ? "missed" : "held";
}

export interface ServiceClassFigures {
  abc: "A" | "B" | "C";
  serviceLevel: number;
  /** Periods whose outcome is known. */
  periods: number;
  held: number;
  /** Share of `periods` held, null without any. */
  heldShare: number | null;
  /** Periods left out: a stock-out hid their demand. */
  censored: number;
}

/** What the Dashboard shows of the promises checked (KPI `service_promise`, per store too). */
export interface ServicePromiseKpi {
  /** Per ABC class and promised level, over the periods of the last 8 weeks' runs now over. */
  byClass: ServiceClassFigures[];
  /** While nothing is checked: the earliest end of a stored period (null: none stored). */
  firstPeriodEnd: string | null;
}

/** Per class and promised level (a setting changed between nights gives two lines), A first. */
export function servicePromiseFigures(checks: readonly ServiceCheck[]): ServiceClassFigures[] {
  const byClass = new Map<string, ServiceClassFigures>();
  for (const check of checks) {
    const key = `${check.abc}:${check.serviceLevel}`;
    let figures = byClass.get(key);
    if (!figures) {
      const { abc, serviceLevel } = check;
      figures = { abc, serviceLevel, periods: 0, held: 0, heldShare: null, censored: 0 };
      byClass.set(key, figures);
    }
    const outcome = serviceOutcome(check);
    if (outcome === "unknown") figures.censored++;
    else figures.periods++;
    if (outcome === "held") figures.held++;
  }
  const lines = [...byClass.values()].map((f) => ({
    ...f,
    heldShare: f.periods > 0 ? f.held / f.periods : null,
  }));
  return lines.sort((a, b) => a.abc.localeCompare(b.abc) || b.serviceLevel - a.serviceLevel);
}

/**
 * Units sold over days `first` … `last` (indices into `sales`; an unknown day, NaN, adds
 * nothing), or null when the period is not all inside the history (not over yet, or older than
 * what was read).
 */
export function periodSales(sales: ArrayLike<number>, first: number, last: number): number | null {
  if (first < 0 || last >= sales.length || last < first) return null;
  let sold = 0;
  for (let i = first; i <= last; i++) {
    const v = sales[i] as number;
    if (Number.isFinite(v)) sold += v;
  }
  return sold;
}

/**
 * Whether an open day of the period has no known demand (`known`: the series' sales as the
 * engine takes them, NaN where a stock-out or an excluded day hides the demand).
 */
export function periodCensored(
  known: ArrayLike<number>,
  open: ArrayLike<number>,
  first: number,
  last: number,
): boolean {
  for (let i = Math.max(0, first); i <= Math.min(last, known.length - 1); i++)
    if (open[i] !== 0 && !Number.isFinite(known[i] as number)) return true;
  return false;
}
