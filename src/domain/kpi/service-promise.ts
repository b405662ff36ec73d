/**
 * Whether the service level promised each night held. Each night's service-level quantity Q_s
 * (SPEC §4) rests on q_s, the quantile at the class's level s of the demand from that night to
 * the target date D: demand over the period should exceed it with probability 1 − s at most.
 * Once the period is over its sales say whether it did. Measured on periods that came after the
 * numbers were computed, as the stored precision is: no choice of the engine saw them.
 */
export interface ServiceCheck {
  /** The article and store it was promised for: one series' periods move together. */
  series: string;
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
  /** The 90% range of the rate the promise holds at (heldShareRange), null without periods. */
  heldRange: { low: number; high: number } | null;
  /** Periods left out: a stock-out hid their demand. */
  censored: number;
  /**
   * Of those, the ones whose sales alone already exceeded q_s: misses whatever the demand the
   * stock-out hid. Counting them would count the misses of such periods and none of their holds,
   * so they stay out of the share; shown, they bound how much leaving them out can flatter it.
   */
  censoredMissed: number;
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
  const byClass = new Map<string, ClassTally>();
  for (const check of checks) {
    const key = `${check.abc}:${check.serviceLevel}`;
    let tally = byClass.get(key);
    if (!tally) {
      tally = {
        abc: check.abc,
        serviceLevel: check.serviceLevel,
        censored: 0,
        censoredMissed: 0,
        bySeries: new Map(),
      };
      byClass.set(key, tally);
    }
    const outcome = serviceOutcome(check);
    if (outcome === "unknown") {
      tally.censored++;
      if (check.sold > check.quantile + 1e-9) tally.censoredMissed++;
      continue;
    }
    const series = tally.bySeries.get(check.series) ?? { held: 0, periods: 0 };
    series.periods++;
    if (outcome === "held") series.held++;
    tally.bySeries.set(check.series, series);
  }
  const lines = [...byClass.values()].map(classFigures);
  return lines.sort((a, b) => a.abc.localeCompare(b.abc) || b.serviceLevel - a.serviceLevel);
}

interface ClassTally {
  abc: "A" | "B" | "C";
  serviceLevel: number;
  censored: number;
  censoredMissed: number;
  /** Held and known periods per series. */
  bySeries: Map<string, HeldCount>;
}

interface HeldCount {
  held: number;
  periods: number;
}

function classFigures(tally: ClassTally): ServiceClassFigures {
  const { abc, serviceLevel, censored, censoredMissed, bySeries } = tally;
  const counts = [...bySeries.values()];
  const held = counts.reduce((n, c) => n + c.held, 0);
  const periods = counts.reduce((n, c) => n + c.periods, 0);
  const heldShare = periods > 0 ? held / periods : null;
  return {
    abc,
    serviceLevel,
    periods,
    held,
    heldShare,
    heldRange: heldShareRange(counts),
    censored,
    censoredMissed,
  };
}

/** z of a two-sided 90% interval: the range holds the true share 9 times in 10. */
const Z_90 = 1.6449;

/**
 * A 90% interval for the share of periods held, from the held and known periods of each series.
 * The periods of one series are not independent draws (the nights' periods overlap, and a
 * series the model reads badly misses on several), so a binomial interval on all periods would
 * be too narrow. The variance is the cluster-robust one of a ratio (series as clusters); the
 * Wilson interval is then taken on the effective number of periods it implies (Korn & Graubard
 * 1998), which stays inside [0, 1] where the share is near 1. Days shared by every series (a
 * heat wave, a holiday) are not clusters here: across those the range can still be too narrow.
 */
export function heldShareRange(counts: readonly HeldCount[]): { low: number; high: number } | null {
  const n = counts.reduce((sum, c) => sum + c.periods, 0);
  if (n === 0) return null;
  const share = counts.reduce((sum, c) => sum + c.held, 0) / n;
  const k = counts.filter((c) => c.periods > 0).length;
  const binomial = (share * (1 - share)) / n;
  let clustered = 0;
  for (const c of counts) clustered += (c.held - share * c.periods) ** 2;
  clustered = k > 1 ? (clustered * k) / (k - 1) / n ** 2 : binomial;
  // Never narrower than independent periods: a design effect below 1 from a handful of series
  // is more likely chance than periods that hold each other up.
  const designEffect = binomial > 0 ? Math.max(1, clustered / binomial) : 1;
  return wilson(share, n / designEffect);
}

function wilson(share: number, n: number): { low: number; high: number } {
  const z2 = Z_90 ** 2;
  const centre = (share + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z_90 * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n ** 2))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
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
