import type { ServicePromiseKpi } from "../../../src/domain/kpi/service-promise.js";
import { api, type DashboardResponse } from "../api/client.js";
import { BaselineNote } from "../components/baseline-note.js";
import { Chart } from "../components/lazy-chart.js";
import { SimulationSection } from "../components/simulation-section.js";
import { AsyncView } from "../components/state-views.js";
import { StatusBar } from "../components/status-bar.js";
import { useStockAtDelivery } from "../components/stock-at-delivery.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";
import { hashFor } from "../routing.js";
import { valueAtRiskText } from "./value-at-risk.js";

const COVERAGE = ["RUPTURE", "SURSTOCK", "STOCK_MORT"] as const;

export function DashboardPage({ storeId }: { storeId: number | undefined }) {
  const { t } = useI18n();
  const [state] = useAsync(() => api.dashboard(storeId), [storeId]);
  return (
    <div className="page">
      <h1>{t("dashboardTitle")}</h1>
      <AsyncView state={state}>
        {(data) => (
          <>
            <StatusBar publication={data} />
            <div className="cards">
              <Health data={data} storeId={storeId} />
              <Financial data={data} storeId={storeId} />
              <Performance data={data} />
            </div>
            <Trend data={data} />
            <Urgencies data={data} storeId={storeId} />
            <Coverage data={data} storeId={storeId} />
            <LeadTimes data={data} />
            <ServicePromise data={data} />
            <SimulationSection
              simulation={data.simulation}
              orderPolicy={data.orderPolicy}
              partOfChain={data.measuredSavings?.partOfChain ?? false}
            />
          </>
        )}
      </AsyncView>
    </div>
  );
}

/** Every count is a way in: it opens the Alerts page filtered on what it counts. */
function Health({ data, storeId }: { data: DashboardResponse; storeId: number | undefined }) {
  const { t, number, money } = useI18n();
  const link = (level: string) => hashFor("alertes", { store: storeId, level });
  return (
    <section className="card" aria-labelledby="health-title" data-testid="kpi-health">
      <h2 id="health-title">{t("health")}</h2>
      <ul className="kpis">
        {(["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"] as const).map((level) => (
          <li key={level}>
            <a
              href={link(level)}
              className={`kpi level-${level}`}
              data-testid={`kpi-link-${level}`}
            >
              {t(level)}{" "}
              <strong data-testid={level === "CRITIQUE" ? "kpi-critical" : `kpi-${level}`}>
                {number(data.health?.alerts[level])}
              </strong>
            </a>
          </li>
        ))}
      </ul>
      <p>
        {t("stockValue")}{" "}
        <strong data-testid="kpi-stock-value">{money(data.health?.stockValue)}</strong>
      </p>
      <p>
        {t("rotation")} <strong>{number(data.health?.rotation, 2)}</strong>
      </p>
    </section>
  );
}

function Financial({ data, storeId }: { data: DashboardResponse; storeId: number | undefined }) {
  const { t, money, number } = useI18n();
  const f = data.financial;
  return (
    <section className="card" aria-labelledby="fin-title" data-testid="kpi-financial">
      <h2 id="fin-title">{t("financial")}</h2>
      <p>
        {t("revenueActual")}{" "}
        <strong data-testid="revenue-actual">{money(f?.revenueActual4w)}</strong>
      </p>
      <p>
        {t("revenueForecast")}{" "}
        <strong data-testid="revenue-forecast">{money(f?.revenueForecast4w)}</strong>
      </p>
      <p>
        {t("revenueNext")} <strong>{money(f?.revenueForecastNext4w)}</strong>
      </p>
      <MeasuredSavings data={data} storeId={storeId} />
      <p>
        {t("savings")} <strong data-testid="savings">{money(f?.savings.total)}</strong>
        <br />
        <span className="small">{t("savingsProjectedNote")}</span>
      </p>
      <p className="formula small" data-testid="savings-formula">
        {t("savingsFormula")}
        {t("colon")}{" "}
        {typeof f?.savings.carryingRatePct === "number"
          ? t(
              f.savings.basis === "sales_kept"
                ? "savingsFormulaText"
                : "savingsFormulaTextShortfall",
              { rate: number(f.savings.carryingRatePct, 1) },
            )
          : f?.savings.formula}
      </p>
    </section>
  );
}

/**
 * The savings the latest replay measured (`optiflow simulate`, weekly by the server) for the
 * policy the suggestions follow: the figure a buyer can trust, before the projection below it.
 * A store without a replay of its own newer than the latest of every store reads its part of
 * that one (the server's `measuredSavings`).
 */
function MeasuredSavings({
  data,
  storeId,
}: {
  data: DashboardResponse;
  storeId: number | undefined;
}) {
  const { t, money, date, label } = useI18n();
  const measured = data.measuredSavings;
  const own =
    measured?.policies.find((p) => p.policy === data.orderPolicy) ?? measured?.policies[0];
  const better = measured?.policies.find((p) => own && p.total > own.total);
  if (!measured || !own)
    return (
      <p data-testid="savings-measured">
        {t("savingsMeasured")}
        {t("colon")}{" "}
        <span className="small">
          {t(storeId === undefined ? "savingsMeasuredNone" : "savingsMeasuredNoneStore")}
        </span>
      </p>
    );
  return (
    <p data-testid="savings-measured">
      {t("savingsMeasured")}
      {t("colon")} <strong data-testid="savings-measured-total">{money(own.total)}</strong>
      <br />
      <span className="small">
        {t(measured.partOfChain ? "savingsMeasuredStore" : "savingsMeasuredDetail", {
          policy: label("policy", own.policy),
          weeks: measured.weeks,
          from: date(measured.from),
          to: date(measured.to),
        })}
        {Math.abs(own.endStockDelta) >= 1 && (
          <>
            <br />
            <span data-testid="savings-measured-end-stock">
              {t(own.endStockDelta > 0 ? "savingsEndStockMore" : "savingsEndStockLess", {
                value: money(Math.abs(own.endStockDelta)),
              })}
            </span>
          </>
        )}
        {better && (
          <>
            <br />
            <span data-testid="savings-measured-other">
              {t("savingsMeasuredOther", {
                other: label("policy", better.policy),
                otherSavings: money(better.total),
                // Named as the Settings page names it: the key meant nothing to a manager there.
                setting: label("setting", "order_policy"),
              })}
            </span>
          </>
        )}
      </span>
    </p>
  );
}

function Performance({ data }: { data: DashboardResponse }) {
  const { t, percent, precision } = useI18n();
  return (
    <section className="card" aria-labelledby="ml-title">
      <h2 id="ml-title">{t("mlPerformance")}</h2>
      <p>
        {t("precision")} <strong>{precision(data.mlPerformance?.precision)}</strong> · {t("mape")}{" "}
        <strong>{percent(data.mlPerformance?.mape)}</strong>
      </p>
      <p className="muted">
        {data.mlPerformance?.source === "stored" ? t("storedLabel") : t("backtestLabel")}
      </p>
      <BaselineNote performance={data.mlPerformance} />
    </section>
  );
}

function Trend({ data }: { data: DashboardResponse }) {
  const { t, date, number, locale } = useI18n();
  const points = data.trend ?? [];
  const rebuilt = points.some((p) => p.reconstructed);
  return (
    <section className="panel" aria-labelledby="trend-title">
      <h2 id="trend-title">{t("trend")}</h2>
      {rebuilt && <p className="muted">* {t("reconstructed")}</p>}
      <Chart
        label={t("trend")}
        option={{
          tooltip: { trigger: "axis" },
          legend: { data: [t("CRITIQUE"), t("ATTENTION")] },
          xAxis: {
            type: "category",
            data: points.map((p) => `${date(p.date)}${p.reconstructed ? " *" : ""}`),
          },
          yAxis: {
            type: "value",
            minInterval: 1,
            axisLabel: { formatter: (v: number) => v.toLocaleString(locale) },
          },
          series: [
            {
              name: t("CRITIQUE"),
              type: "line",
              data: points.map((p) => p.CRITIQUE),
              color: "#b71c1c",
            },
            {
              name: t("ATTENTION"),
              type: "line",
              data: points.map((p) => p.ATTENTION),
              color: "#b45309",
            },
          ],
        }}
        table={{
          columns: [t("date"), t("CRITIQUE"), t("ATTENTION"), t("OK")],
          rows: points.map((p) => [
            `${date(p.date)}${p.reconstructed ? " *" : ""}`,
            number(p.CRITIQUE),
            number(p.ATTENTION),
            number(p.OK),
          ]),
        }}
      />
    </section>
  );
}

function Urgencies({ data, storeId }: { data: DashboardResponse; storeId: number | undefined }) {
  const { t, money } = useI18n();
  const stockAtDelivery = useStockAtDelivery();
  return (
    <section className="panel" aria-labelledby="urg-title">
      <h2 id="urg-title">{t("urgencies")}</h2>
      <ol data-testid="urgencies">
        {(data.urgencies ?? []).map((u) => (
          <li key={`${u.articleId}-${u.storeId}`}>
            <a href={hashFor("article", { store: storeId }, [u.articleId, u.storeId])}>
              {u.reference} {u.name}
            </a>{" "}
            ({u.storeCode}) — {t("valueAtRisk")} {valueAtRiskText(money, u.valueAtRisk)} ·{" "}
            {stockAtDelivery(u.leadTime, u.remaining, u.unit, u.salesLost)}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Coverage({ data, storeId }: { data: DashboardResponse; storeId: number | undefined }) {
  const { t, number, money } = useI18n();
  const c = data.coverage;
  if (!c) return null;
  return (
    <section className="panel" aria-labelledby="cov-title" data-testid="coverage">
      <h2 id="cov-title">{t("coverage")}</h2>
      <div className="columns three">
        {COVERAGE.map((kind) => (
          <div key={kind}>
            <h3>
              {t(kind)}
              {t("colon")} <strong data-testid={`coverage-${kind}`}>{number(c[kind])}</strong>
            </h3>
            <ul className="compact">
              {(c.articles?.[kind] ?? []).map((a) => (
                <li key={`${a.articleId}-${a.storeId}`}>
                  <a href={hashFor("article", { store: storeId }, [a.articleId, a.storeId])}>
                    {a.reference} {a.name}
                  </a>{" "}
                  <span className="muted">
                    (
                    {kind === "RUPTURE"
                      ? // What a day out of stock costs: cents count for a slow seller.
                        t("coverageLostPerDay", {
                          store: a.storeCode,
                          value: money(a.value, a.value < 10 ? 2 : 0),
                        })
                      : t("coverageStockValue", { store: a.storeCode, value: money(a.value) })}
                    )
                  </span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}

/** Whether past nights' service levels held, per ABC class (step 5, from stored suggestions). */
function ServicePromise({ data }: { data: DashboardResponse }) {
  const { t, date } = useI18n();
  const promise = data.servicePromise;
  if (!promise) return null;
  return (
    <section className="panel" aria-labelledby="promise-title" data-testid="service-promise">
      <h2 id="promise-title">{t("servicePromise")}</h2>
      <p className="muted">{t("servicePromiseIntro")}</p>
      {promise.byClass.length > 0 ? (
        <>
          <ServicePromiseTable rows={promise.byClass} />
          <p className="muted">{t("servicePromiseNote")}</p>
        </>
      ) : (
        <p data-testid="service-promise-empty">
          {promise.firstPeriodEnd
            ? t("servicePromiseFirst", { date: date(promise.firstPeriodEnd) })
            : t("servicePromiseNone")}
        </p>
      )}
    </section>
  );
}

type PromiseRow = ServicePromiseKpi["byClass"][number];

function ServicePromiseTable({ rows }: { rows: ServicePromiseKpi["byClass"] }) {
  const { t } = useI18n();
  const columns = [
    "servicePromised",
    "serviceHeld",
    "serviceRange",
    "serviceGap",
    "servicePeriods",
    "serviceCensored",
  ] as const;
  return (
    <table className="cards-on-phone">
      <thead>
        <tr>
          <th scope="col">{t("serviceClass")}</th>
          {columns.map((c) => (
            <th key={c} scope="col" className="num">
              {t(c)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <ServicePromiseRow key={`${r.abc}:${r.serviceLevel}`} row={r} />
        ))}
      </tbody>
    </table>
  );
}

/** One class and level: held against promised, its range, the periods checked and left out. */
function ServicePromiseRow({ row: r }: { row: PromiseRow }) {
  const { t, number, percent } = useI18n();
  const points =
    r.heldShare === null ? null : Math.round((r.heldShare - r.serviceLevel) * 1000) / 10;
  // A KPI stored before the range and the already-above count existed has neither: a dash, and
  // the count left out alone.
  const range = r.heldRange
    ? t("serviceRangeValue", {
        low: number(r.heldRange.low * 100, 1),
        high: number(r.heldRange.high * 100, 1),
      })
    : "–";
  return (
    <tr data-testid={`service-promise-${r.abc}`}>
      <th scope="row" data-label={t("serviceClass")}>
        {r.abc}
      </th>
      <td className="num" data-label={t("servicePromised")}>
        {percent(r.serviceLevel)}
      </td>
      <td className="num" data-label={t("serviceHeld")}>
        {percent(r.heldShare)}
      </td>
      <td className="num" data-label={t("serviceRange")}>
        {range}
      </td>
      <td className="num" data-label={t("serviceGap")}>
        {points === null
          ? "–"
          : t("serviceGapPoints", { gap: `${points > 0 ? "+" : ""}${number(points, 1)}` })}
      </td>
      <td className="num" data-label={t("servicePeriods")}>
        {number(r.periods)}
      </td>
      <td className="num" data-label={t("serviceCensored")}>
        {r.censoredMissed === undefined
          ? number(r.censored)
          : t("serviceCensoredValue", {
              n: number(r.censored),
              missed: number(r.censoredMissed),
            })}
      </td>
    </tr>
  );
}

/** How many late orders are named before "and N more": what a call can go through. */
const ORDERS_NAMED = 5;

/** The late orders' numbers, the longest overdue first: what the supplier is asked about. */
function LateOrders({ orders }: { orders: readonly string[] }) {
  const { t } = useI18n();
  if (orders.length === 0) return null;
  const named = orders.slice(0, ORDERS_NAMED).join(", ");
  const more = orders.length - ORDERS_NAMED;
  return (
    <span className="late-orders" data-testid="overdue-orders">
      {more > 0
        ? t("overdueOrdersMore", { count: orders.length, orders: named, more })
        : t("overdueOrders", { count: orders.length, orders: named })}
    </span>
  );
}

/** The number to call about the late goods, dialled by a tap on a phone. */
function SupplierPhone({ phone }: { phone: string }) {
  const { t } = useI18n();
  // Under the late lines' count, which stands on its own line.
  return (
    <a href={`tel:${phone.replace(/[^+\d]/g, "")}`} data-testid="supplier-phone">
      {t("callSupplier", { phone })}
    </a>
  );
}

/**
 * Each supplier's delivery record (planned and observed lead times, partial deliveries), and the
 * goods on order past their day this morning: the calls to make first.
 */
function LeadTimes({ data }: { data: DashboardResponse }) {
  const { t, number, percent, date } = useI18n();
  const rows = data.leadTimes ?? [];
  if (rows.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="lead-title" data-testid="lead-times">
      <h2 id="lead-title">{t("lateSuppliers")}</h2>
      <table className="cards-on-phone">
        <thead>
          <tr>
            <th scope="col">{t("supplier")}</th>
            <th scope="col" className="num">
              {t("plannedLead")}
            </th>
            <th scope="col" className="num">
              {t("observedLead")}
            </th>
            <th scope="col" className="num">
              {t("deliveries")}
            </th>
            <th scope="col" className="num">
              {t("partial")}
            </th>
            <th scope="col">{t("late")}</th>
            <th scope="col">{t("overdueNow")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.supplierId} className={r.late ? "late" : undefined}>
              <td data-label={t("supplier")}>{r.supplier}</td>
              <td className="num" data-label={t("plannedLead")}>
                {r.planned === null ? "–" : t("days", { count: r.planned })}
              </td>
              <td className="num" data-label={t("observedLead")}>
                {r.p50 === null ? "–" : `${number(r.p50, 1)} / ${number(r.p90, 1)}`}
              </td>
              <td className="num" data-label={t("deliveries")}>
                {number(r.observations)}
              </td>
              <td className="num" data-label={t("partial")}>
                {percent(r.partialShare)}
              </td>
              <td data-label={t("late")}>
                {r.observations === 0 ? t("noDeliveryRecord") : r.late ? t("late") : t("onTime")}
              </td>
              <td data-label={t("overdueNow")} data-testid="overdue-now">
                {r.overdueSeries && r.overdueSince ? (
                  <>
                    <strong className="late-delivery">
                      {t("overdueSeries", { count: r.overdueSeries, date: date(r.overdueSince) })}
                    </strong>
                    <LateOrders orders={r.overdueOrders ?? []} />
                    {r.phone ? <SupplierPhone phone={r.phone} /> : null}
                  </>
                ) : (
                  "–"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
