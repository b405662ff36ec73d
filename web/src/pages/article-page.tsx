import { useState } from "react";
import {
  type ArticleSheet,
  api,
  type Catalog,
  type OrderState,
  type Published,
} from "../api/client.js";
import { FeedbackPanel } from "../components/feedback-panel.js";
import { LateDelivery } from "../components/late-delivery.js";
import { Chart } from "../components/lazy-chart.js";
import { NegativeStockNote } from "../components/negative-stock-note.js";
import { QuantityCalculator } from "../components/quantity-calculator.js";
import { AsyncView } from "../components/state-views.js";
import { StatusBar } from "../components/status-bar.js";
import { useSuggestedNotes } from "../components/suggested-notes.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";
import { hashFor } from "../routing.js";
import { useReason } from "./alert-table.js";
import { bandSeries, CLOSED_SHADE, dayShade, pastDays } from "./predictions-page.js";

/**
 * One article in one store, on one screen (issue 16): why it is at its level, its last thirteen
 * weeks of sales beside the forecast and its P10–P90 band (stock-out and closed days marked,
 * today marked), where the stock goes with and without the suggested order, what is on order,
 * promotions and events, the model and its honest accuracy, the calculator, and feedback on a
 * past day.
 */
export function ArticlePage({
  articleId,
  storeId,
  catalog,
  setOrder,
}: {
  articleId: number;
  storeId: number;
  catalog: Catalog;
  setOrder: (state: OrderState) => void;
}) {
  const { t } = useI18n();
  const [state] = useAsync(() => api.article(articleId, storeId), [articleId, storeId]);
  return (
    <div className="page">
      <AsyncView state={state}>
        {(sheet) => <Sheet sheet={sheet} catalog={catalog} setOrder={setOrder} />}
      </AsyncView>
      <p className="no-print">
        <a href={hashFor("alertes", { store: storeId })}>← {t("backToAlerts")}</a>
      </p>
    </div>
  );
}

function Sheet({
  sheet,
  setOrder,
}: {
  sheet: Published & ArticleSheet;
  catalog: Catalog;
  setOrder: (state: OrderState) => void;
}) {
  const { t, number, money, errorText } = useI18n();
  const reason = useReason();
  const a = sheet.alert;
  const [feedbackDay, setFeedbackDay] = useState<string | undefined>();
  const [message, setMessage] = useState<string | null>(null);
  const add = (quantity: number) =>
    api.putOrderLine({ articleId: a.articleId, storeId: a.storeId, quantity }).then(
      (r) => {
        setOrder(r);
        setMessage(null);
      },
      (e) => setMessage(errorText(e)),
    );
  return (
    <>
      <h1 data-testid="sheet-title">
        {t("sheetTitle", { reference: a.reference, name: a.name, store: a.storeCode })}
      </h1>
      <StatusBar publication={sheet} />
      <section className="panel summary" aria-label={t("why")} data-testid="sheet-summary">
        <p>
          <span className={`tag level-${a.level}`}>{t(a.level as "OK")}</span> {reason(a)}
        </p>
        {a.quietDays !== null && (
          <p className="banner warning" data-testid="sheet-quiet">
            {t(quietMessage(a), { count: a.quietDays, factor: number(a.calibration ?? 1, 2) })}
          </p>
        )}
        <SheetFacts sheet={sheet} />
      </section>
      <HistoryChart sheet={sheet} onReport={setFeedbackDay} />
      <ProjectionChart sheet={sheet} />
      <SheetEvents sheet={sheet} />
      <section className="panel" aria-labelledby="calc-title">
        <h2 id="calc-title">{t("calculator")}</h2>
        {message && (
          <p className="banner error" role="alert">
            {message}
          </p>
        )}
        <QuantityCalculator alert={a} today={sheet.today} onAdd={add} onClose={() => {}} />
      </section>
      <section className="panel" aria-labelledby="feedback-title">
        <h2 id="feedback-title">{t("giveFeedback")}</h2>
        <FeedbackPanel
          articleId={a.articleId}
          storeId={a.storeId}
          dates={pastDays(sheet.today, 28)}
          initialDate={feedbackDay}
          titled={false}
        />
      </section>
      {sheet.proof && <ArticleProof proof={sheet.proof} />}
      <p className="muted">
        {money(a.purchasePrice, 2)} HT · {money(a.shelfPrice, 2)} TTC
      </p>
    </>
  );
}

/** The article's figures at a glance: stock, orders, cover, suggestion, classes, model. */
function SheetFacts({ sheet }: { sheet: Published & ArticleSheet }) {
  const { t, number, precision, date, modelName } = useI18n();
  const a = sheet.alert;
  const suggestedNotes = useSuggestedNotes()(a, sheet.orderPolicy);
  return (
    <dl className="facts">
      <dt>{t("onHand")}</dt>
      <dd data-testid="sheet-on-hand">
        {number(a.onHand, 2)} {a.unit}
        {a.onHand < 0 && <NegativeStockNote />}
      </dd>
      <dt>{t("onOrder")}</dt>
      <dd data-testid="sheet-on-order">
        {sheet.openOrders.length === 0
          ? t("noOrder")
          : sheet.openOrders.map((o, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list; two lines may share a day and quantity.
              <span key={i}>
                {i > 0 && " ; "}
                {/* In the unit of the stock above ("10,34 kg"), as the table's column is not. */}
                {o.expected
                  ? t("expectedOn", {
                      quantity: `${number(o.quantity, 2)} ${a.unit}`,
                      date: date(o.expected),
                    })
                  : `${number(o.quantity, 2)} ${a.unit}`}
                {/* The number the supplier is asked about when it is late. */}
                {o.order && t("onOrderNumber", { order: o.order })}
                {o.expected !== null && o.expected < sheet.today && (
                  <>
                    {" "}
                    (<LateDelivery />)
                  </>
                )}
              </span>
            ))}
      </dd>
      <dt>{t("untilStockout")}</dt>
      <dd data-testid="sheet-until-stockout">
        {a.daysToStockout === null
          ? t("beyondHorizon", { count: 63 })
          : t("days", { count: a.daysToStockout })}{" "}
        <span className="muted">({t("untilStockoutNote")})</span>
      </dd>
      <dt>{t("coverOnHand")}</dt>
      <dd data-testid="sheet-cover-on-hand">
        {a.daysOfCover === null
          ? t("beyondHorizon", { count: 63 })
          : t("days", { count: a.daysOfCover })}
      </dd>
      <dt>{t("suggested")}</dt>
      <dd data-testid="sheet-suggested">
        {number(a.suggestedQty ?? 0, 3)} {a.unit}
        {suggestedNotes.length > 0 && (
          <span className="muted"> ({suggestedNotes.join(" ; ")})</span>
        )}{" "}
        {/* On or past its day, "today", as the table says: "avant le 5 déc." read on the 5th
            reads as a day still ahead. */}
        ·{" "}
        {a.orderBy && a.orderBy <= sheet.today
          ? t("orderNow")
          : `${t("orderBy")} ${date(a.orderBy)}`}
      </dd>
      <dt>{t("classes")}</dt>
      <dd>
        {a.abc ?? "–"}
        {a.xyz ?? ""}
      </dd>
      <dt>{t("supplier")}</dt>
      <dd>
        {a.supplier ?? "–"} · {t("days", { count: a.leadTime })}
      </dd>
      <dt>{t("model")}</dt>
      <dd data-testid="sheet-model">
        {modelName(a.model)}
        {a.heldOutWape !== null && (
          <> · {t("honestAccuracy", { p: precision(1 - a.heldOutWape) })}</>
        )}
      </dd>
    </dl>
  );
}

/** The promotions and declared events that touch the article, if any. */
function SheetEvents({ sheet }: { sheet: Published & ArticleSheet }) {
  const { t, number, date, label } = useI18n();
  if (sheet.promotions.length === 0 && sheet.events.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="events-title">
      <h2 id="events-title">{t("events")}</h2>
      <ul data-testid="sheet-events">
        {sheet.promotions.map((p) => (
          <li key={`p-${p.start}-${p.label}`}>
            {t("sheetPromotionLine", {
              label: p.label,
              discount: number(p.discountPct),
              start: date(p.start),
              end: date(p.end),
            })}
          </li>
        ))}
        {sheet.events.map((e) => (
          <li key={`e-${e.start}-${e.name}`}>
            {t("sheetEventLine", {
              type: label("eventType", e.type),
              name: e.name,
              start: date(e.start),
              end: date(e.end),
            })}
            {e.impactPct !== null
              ? t("sheetEventImpact", { impact: `${e.impactPct > 0 ? "+" : ""}${e.impactPct}` })
              : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The article's weeks as forecast before they were known, beside what sold. */
function ArticleProof({ proof }: { proof: NonNullable<ArticleSheet["proof"]> }) {
  const { t, number, date } = useI18n();
  return (
    <section className="panel" aria-labelledby="article-proof-title">
      <h2 id="article-proof-title">{t("articleProof")}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("week")}</th>
            <th scope="col" className="num">
              {t("predicted")}
            </th>
            <th scope="col" className="num">
              {t("actual")}
            </th>
          </tr>
        </thead>
        <tbody>
          {proof.map((w) => (
            <tr key={w.weekStart}>
              <td>{date(w.weekStart)}</td>
              <td className="num">{number(w.forecast, 1)}</td>
              <td className="num">{number(w.actual, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Past days and days ahead on one axis: what sold, what is forecast, today between them. */
function HistoryChart({
  sheet,
  onReport,
}: {
  sheet: Published & ArticleSheet;
  onReport: (day: string) => void;
}) {
  const i18n = useI18n();
  const { t, date, locale } = i18n;
  const ahead = sheet.forecasts.slice(0, 28);
  const days = [...sheet.history.map((h) => h.date), ...ahead.map((f) => f.date)];
  const band = forecastBand(sheet, ahead, i18n);
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">{t("sheetHistory")}</h2>
      <p className="legend-note muted">
        <span className="swatch stockout" /> {t("stockOutDay")} · <span className="swatch closed" />{" "}
        {t("closedDay")} · | {t("today")}
      </p>
      <Chart
        label={t("sheetHistory")}
        height={320}
        option={{
          tooltip: {
            trigger: "axis",
            formatter: historyTooltip(sheet, ahead, i18n),
          },
          legend: { data: [t("sold"), t("forecast"), t("interval")] },
          xAxis: {
            type: "category",
            data: days.map((d) => date(d)),
            // A bar series' marked area runs from its day's tick to the next one's; with ticks only
            // under the labels, a single day's area spread to the ticks around it (a closed
            // Sunday shaded a fortnight, the next one nothing). A tick per day, not drawn.
            axisTick: { show: false, interval: 0 },
          },
          yAxis: {
            type: "value",
            name: t("units", { unit: sheet.alert.unit }),
            axisLabel: { formatter: (v: number) => v.toLocaleString(locale) },
          },
          series: [soldSeries(sheet, ahead, band.closedShades, i18n), ...band.series],
        }}
        table={{
          columns: [t("date"), t("sold"), t("forecast"), "P10–P90", ""],
          rows: historyTableRows(sheet, ahead, onReport, i18n),
        }}
      />
    </section>
  );
}

type ForecastDay = ArticleSheet["forecasts"][number];

/** The forecast and its interval, drawn after the history's days (left empty under them). */
function forecastBand(sheet: ArticleSheet, ahead: ForecastDay[], i18n: I18n) {
  const { t, number, date } = i18n;
  const band = bandSeries(
    ahead,
    {
      forecast: t("forecast"),
      interval: t("interval"),
      closed: t("closedDay"),
      colon: t("colon"),
    },
    (v) => number(v, 1),
    date,
  );
  const padding = sheet.history.map(() => null);
  return {
    series: band.series.map((s) => ({
      ...s,
      data: [...padding, ...((s.data ?? []) as number[])],
    })),
    closedShades: band.closedShades,
  };
}

/** The units sold, with the stock-out and closed days shaded and today marked. */
function soldSeries(
  sheet: Published & ArticleSheet,
  ahead: ForecastDay[],
  closedAhead: ReturnType<typeof bandSeries>["closedShades"],
  { t, date }: I18n,
) {
  const spans = (
    flag: (h: ArticleSheet["history"][number]) => boolean,
    name: string,
    color: string,
  ) => sheet.history.filter(flag).map((h) => dayShade(date(h.date), name, color));
  return {
    name: t("sold"),
    type: "bar" as const,
    data: [...sheet.history.map((h) => h.sold), ...ahead.map(() => null)],
    color: "#1b5e20",
    markArea: {
      silent: true,
      // No label per marked day: side by side, a week of closed Sundays or a run of
      // stock-outs wrote their words over each other. The note above says what each
      // colour is, and the tooltip and the table say it day by day.
      label: { show: false },
      data: [
        ...spans((h) => h.stockOut, t("stockOutDay"), "rgba(183, 28, 28, 0.18)"),
        ...spans((h) => h.closed, t("closedDay"), CLOSED_SHADE),
        // Ahead too: a closed day's 0 is the calendar, not a forecast.
        ...closedAhead,
      ],
    },
    markLine: {
      symbol: "none",
      data: [{ xAxis: date(sheet.today), name: t("today") }],
      label: { formatter: t("today") },
      lineStyle: { color: "#37474f" },
    },
  };
}

type I18n = ReturnType<typeof useI18n>;

/** The history chart's tooltip: a past day's sales (or closure, stock-out), a day ahead's band. */
function historyTooltip(
  sheet: Published & ArticleSheet,
  ahead: ArticleSheet["forecasts"],
  { t, number }: I18n,
) {
  return (items: unknown) => {
    const list = items as { dataIndex: number; axisValueLabel: string }[];
    const i = list[0]?.dataIndex ?? 0;
    const h = sheet.history[i];
    if (h)
      return `${list[0]?.axisValueLabel}<br/>${
        h.closed ? t("closedDay") : `${t("sold")}${t("colon")} ${number(h.sold, 1)}`
      }${h.stockOut ? ` · ${t("stockOutDay")}` : ""}`;
    const f = ahead[i - sheet.history.length];
    if (f?.closed) return `${list[0]?.axisValueLabel}<br/>${t("closedDay")}`;
    return f
      ? `${list[0]?.axisValueLabel}<br/>${t("forecast")}${t("colon")} ${number(f.forecast, 1)}<br/>P10${t("colon")} ${number(f.p10)} · P90${t("colon")} ${number(f.p90)}`
      : "";
  };
}

/** The chart's table: each past day with its feedback button (last 28 days), each day ahead. */
function historyTableRows(
  sheet: Published & ArticleSheet,
  ahead: ArticleSheet["forecasts"],
  onReport: (day: string) => void,
  { t, number, date }: I18n,
) {
  return [
    ...sheet.history.map((h) => [
      date(h.date),
      h.closed
        ? t("closedDay")
        : `${number(h.sold, 1)}${h.stockOut ? ` (${t("stockOutDay")})` : ""}`,
      "",
      "",
      <button
        key={h.date}
        type="button"
        className="link"
        onClick={() => onReport(h.date)}
        disabled={Date.parse(h.date) < Date.parse(sheet.today) - 28 * 86_400_000}
      >
        {t("giveFeedback")}
      </button>,
    ]),
    ...ahead.map((f) =>
      f.closed
        ? [date(f.date), "", t("closedDay"), "", ""]
        : [date(f.date), "", number(f.forecast, 1), `${f.p10}–${f.p90}`, ""],
    ),
  ];
}

function ProjectionChart({ sheet }: { sheet: Published & ArticleSheet }) {
  const { t, number, date, locale } = useI18n();
  const a = sheet.alert;
  const withLabel = t("withOrder", {
    quantity: number(a.suggestedQty ?? 0, 3),
    date: date(sheet.orderArrival),
  });
  return (
    <section className="panel" aria-labelledby="projection-title">
      <h2 id="projection-title">{t("sheetProjection")}</h2>
      <Chart
        label={t("sheetProjection")}
        height={240}
        option={{
          tooltip: { trigger: "axis" },
          legend: { data: [t("withoutOrder"), withLabel] },
          xAxis: { type: "category", data: sheet.projection.map((p) => date(p.date)) },
          yAxis: {
            type: "value",
            name: t("units", { unit: a.unit }),
            axisLabel: { formatter: (v: number) => v.toLocaleString(locale) },
          },
          series: [
            {
              name: t("withoutOrder"),
              type: "line",
              data: sheet.projection.map((p) => Math.round(p.withoutOrder * 10) / 10),
              color: "#b71c1c",
              markLine: { symbol: "none", data: [{ yAxis: 0 }], lineStyle: { color: "#37474f" } },
            },
            {
              name: withLabel,
              type: "line",
              data: sheet.projection.map((p) => Math.round(p.withOrder * 10) / 10),
              color: "#0d47a1",
            },
          ],
        }}
        table={{
          columns: [t("date"), t("withoutOrder"), withLabel],
          rows: sheet.projection.map((p) => [
            date(p.date),
            number(p.withoutOrder, 1),
            number(p.withOrder, 1),
          ]),
        }}
      />
    </section>
  );
}

/**
 * The quiet note's wording: scaled by the quiet series' factor; not reduced because the store's
 * quiet series went on to sell as forecast (a learned factor of 1); or not reduced because the
 * store has no quiet factor yet and the series kept its class's factor.
 */
function quietMessage(
  a: ArticleSheet["alert"],
): "quietSeries" | "quietSeriesKept" | "quietSeriesUnlearned" {
  if (a.quietFactor === false) return "quietSeriesUnlearned";
  return (a.calibration ?? 1) >= 0.995 ? "quietSeriesKept" : "quietSeries";
}
