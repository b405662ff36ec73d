import type { LineSeriesOption } from "echarts/charts";
import { useEffect, useState } from "react";
import {
  api,
  type Catalog,
  type ForecastView,
  type PredictionsResponse,
  query,
  type WeekPair,
} from "../api/client.js";
import { BaselineNote } from "../components/baseline-note.js";
import { DownloadLink } from "../components/download-link.js";
import { FeedbackPanel } from "../components/feedback-panel.js";
import { Chart, type ChartOption } from "../components/lazy-chart.js";
import { AsyncView } from "../components/state-views.js";
import { StatusBar } from "../components/status-bar.js";
import { useAsync } from "../components/use-async.js";
import { useDebounced } from "../components/use-debounced.js";
import { useI18n } from "../i18n/i18n.js";
import { hashFor, numberParam, type Route, type SetParams } from "../routing.js";

/**
 * Future forecasts and the proof of their precision. Without a chosen article: the overall
 * proof and the best sellers to choose from; with one: its forecast with the P10–P90 band, its
 * own proof, and feedback on its past days. The header's store applies to the choice too.
 */
export function PredictionsPage({
  catalog,
  route,
  setParams,
}: {
  catalog: Catalog;
  route: Route;
  setParams: SetParams;
}) {
  const { t } = useI18n();
  const store = numberParam(route.params, "store");
  const article = numberParam(route.params, "article");
  const seriesStore = numberParam(route.params, "sstore");
  // The chosen article in the store of the header when one is chosen there.
  const chosenStore = store ?? seriesStore;
  const [search, setSearch] = useState(route.params.get("search") ?? "");
  const settled = useDebounced(search.trim(), 300);
  useEffect(() => {
    if ((route.params.get("search") ?? "") !== settled) setParams({ search: settled || undefined });
  }, [settled, route.params, setParams]);
  const [state] = useAsync(
    () =>
      api.predictions({
        ...(article && chosenStore ? { article, store: chosenStore } : store ? { store } : {}),
        search: route.params.get("search") ?? undefined,
      }),
    [article, chosenStore, store, route.params.get("search")],
  );
  return (
    <div className="page">
      <h1>{t("predictionsTitle")}</h1>
      <label className="no-print">
        {t("search")}
        <input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="prediction-search"
        />
      </label>
      <AsyncView state={state}>
        {(data) => (
          <PredictionsContent
            data={data}
            catalog={catalog}
            store={store}
            search={route.params.get("search") ?? ""}
            selection={article && chosenStore ? { articleId: article, storeId: chosenStore } : null}
            onSelect={(a, s) => setParams({ article: a, sstore: s })}
          />
        )}
      </AsyncView>
    </div>
  );
}

function PredictionsContent({
  data,
  catalog,
  store,
  search,
  selection,
  onSelect,
}: {
  data: PredictionsResponse;
  catalog: Catalog;
  store: number | undefined;
  search: string;
  selection: { articleId: number; storeId: number } | null;
  onSelect: (articleId: number | undefined, storeId: number | undefined) => void;
}) {
  const { t, number } = useI18n();
  const storeCode = (id: number) => catalog.stores.find((s) => s.id === id)?.code ?? String(id);
  const chosen = selection
    ? data.summary.find(
        (s) => s.articleId === selection.articleId && s.storeId === selection.storeId,
      )
    : undefined;
  return (
    <>
      <StatusBar publication={data} />
      <section className="panel" aria-labelledby="future-title">
        <h2 id="future-title">{t("futureForecasts")}</h2>
        <label>
          {t("chooseArticle")}
          <select
            value={selection ? `${selection.articleId}:${selection.storeId}` : ""}
            onChange={(e) => {
              const [a, s] = e.target.value.split(":").map(Number);
              onSelect(a || undefined, s || undefined);
            }}
            data-testid="prediction-select"
          >
            <option value="">—</option>
            {data.summary.map((p) => (
              <option key={`${p.articleId}:${p.storeId}`} value={`${p.articleId}:${p.storeId}`}>
                {p.reference} {p.name} · {storeCode(p.storeId)} · {t("next28")} {number(p.next28)}{" "}
                {p.unit}
              </option>
            ))}
          </select>
        </label>
        <p className="muted" data-testid="series-count">
          {t("seriesShown", { shown: data.summary.length, total: data.summaryTotal })}
        </p>
        <ForecastExportLink
          store={store === undefined ? undefined : { id: store, code: storeCode(store) }}
          found={search ? { search, count: data.summaryTotal } : null}
          selection={data.forecasts && data.forecasts.length > 0 ? selection : null}
        />
        {selection && data.forecasts && data.forecasts.length > 0 ? (
          <SelectedSeries
            data={data}
            forecasts={data.forecasts}
            selection={selection}
            chosen={chosen}
          />
        ) : (
          <SeriesTable data={data} onSelect={onSelect} storeCode={storeCode} />
        )}
      </section>
      {data.accuracy && <OverallProof data={data} accuracy={data.accuracy} />}
      {data.improvement && (
        <Improvement improvement={data.improvement} catalog={catalog} storeCode={storeCode} />
      )}
    </>
  );
}

/**
 * The daily forecasts for a spreadsheet: the chosen series', else every series the search finds
 * in the header's store (all of them, not only the best sellers the list shows), else every
 * series of that store or of all stores.
 */
function ForecastExportLink({
  store,
  found,
  selection,
}: {
  store: { id: number; code: string } | undefined;
  found: { search: string; count: number } | null;
  selection: { articleId: number; storeId: number } | null;
}) {
  const { t } = useI18n();
  // A search that finds nothing has nothing to export.
  if (!selection && found?.count === 0) return null;
  const scope = selection
    ? { article: selection.articleId, store: selection.storeId }
    : { store: store?.id, search: found?.search };
  const label = selection
    ? t("forecastExportSeries")
    : found
      ? t("forecastExportFound", { count: found.count })
      : store
        ? t("forecastExportStore", { store: store.code })
        : t("forecastExportAll");
  return (
    <p className="no-print">
      <DownloadLink
        href={`/api/predictions/export${query(scope)}`}
        testId="forecast-export"
        announcesStart
      >
        {label}
      </DownloadLink>
    </p>
  );
}

type Summary = PredictionsResponse["summary"][number];

/** The chosen series: its model, its chart, the feedback form and its own weeks' proof. */
function SelectedSeries({
  data,
  forecasts,
  selection,
  chosen,
}: {
  data: PredictionsResponse;
  forecasts: NonNullable<PredictionsResponse["forecasts"]>;
  selection: { articleId: number; storeId: number };
  chosen: Summary | undefined;
}) {
  const { t, modelName, precision } = useI18n();
  return (
    <>
      <p>
        <a
          href={hashFor("article", {}, [selection.articleId, selection.storeId])}
          data-testid="open-sheet"
        >
          {t("sheet")} →
        </a>{" "}
        · {t("model")}
        {t("colon")} <span data-testid="model-name">{modelName(chosen?.model)}</span>
        {chosen?.heldOutWape !== null && chosen?.heldOutWape !== undefined && (
          <> · {t("honestAccuracy", { p: precision(1 - chosen.heldOutWape) })}</>
        )}
      </p>
      <ForecastChart forecasts={forecasts} unit={chosen?.unit ?? "u"} />
      <FeedbackPanel
        key={`${selection.articleId}:${selection.storeId}`}
        articleId={selection.articleId}
        storeId={selection.storeId}
        dates={pastDays(data.today, 28)}
      />
      {data.accuracy?.article && (
        <>
          <h3>{t("articleProof")}</h3>
          <Proof title={t("articleProof")} weeks={data.accuracy.article} testId="article-proof" />
        </>
      )}
    </>
  );
}

/** Forecast against actual over the scored weeks, with the precision and its 28-day baseline. */
function OverallProof({
  data,
  accuracy,
}: {
  data: PredictionsResponse;
  accuracy: NonNullable<PredictionsResponse["accuracy"]>;
}) {
  const { t, percent, precision } = useI18n();
  return (
    <section className="panel" aria-labelledby="proof-title">
      <h2 id="proof-title">{t("proof")}</h2>
      <p className="muted">
        {t("precision")} {precision(data.mlPerformance?.precision)} · {t("mape")}{" "}
        {percent(data.mlPerformance?.mape)} —{" "}
        {accuracy.source === "stored" ? t("storedLabel") : t("backtestLabel")}
      </p>
      <BaselineNote performance={data.mlPerformance} />
      <Proof title={t("proof")} weeks={accuracy.overall} testId="overall-proof" />
    </section>
  );
}

/** What the batch learned: model changes, event effects, and the feedback it applied. */
function Improvement({
  improvement,
  catalog,
  storeCode,
}: {
  improvement: NonNullable<PredictionsResponse["improvement"]>;
  catalog: Catalog;
  storeCode: (id: number) => string;
}) {
  const { t, number, date, label } = useI18n();
  return (
    <section className="panel" aria-labelledby="improve-title">
      <h2 id="improve-title">{t("improvement")}</h2>
      <p>{t("modelChanges", { count: improvement.modelChangeCount })}</p>
      <h3>{t("eventEffects")}</h3>
      <ul>
        {[...improvement.eventEffects]
          .sort((a, b) => Math.abs(b.effectPct) - Math.abs(a.effectPct))
          .slice(0, 12)
          .map((e) => (
            <li key={`${e.type}-${e.categoryId}`}>
              {label("eventType", e.type)} ·{" "}
              {catalog.categories.find((c) => c.id === e.categoryId)?.name ?? e.categoryId} :{" "}
              {e.effectPct > 0 ? "+" : ""}
              {number(e.effectPct, 1)} % ({e.series})
            </li>
          ))}
      </ul>
      <h3>{t("feedbackGiven")}</h3>
      {improvement.feedbackApplied.length === 0 ? (
        <p className="muted" data-testid="feedback-applied">
          {t("noFeedbackYet")}
        </p>
      ) : (
        <ul data-testid="feedback-applied">
          {improvement.feedbackApplied.map((f) => (
            <li key={f.id}>
              {f.reference ? `${f.reference} ${f.name ?? ""}` : `#${f.articleId}`} ·{" "}
              {storeCode(f.storeId)} · {date(f.date)} ·{" "}
              {f.direction === "TROP_HAUT" ? t("tooHigh") : t("tooLow")} ·{" "}
              {label("reason", f.reason)} → {t("feedbackEffect")}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SeriesTable({
  data,
  onSelect,
  storeCode,
}: {
  data: PredictionsResponse;
  onSelect: (articleId: number, storeId: number) => void;
  storeCode: (id: number) => string;
}) {
  const { t, number, precision, modelName } = useI18n();
  return (
    <table className="cards-on-phone" data-testid="series-table">
      <thead>
        <tr>
          <th scope="col">{t("article")}</th>
          <th scope="col">{t("store")}</th>
          <th scope="col" className="num">
            {t("next7")}
          </th>
          <th scope="col" className="num">
            {t("next28")}
          </th>
          <th scope="col">{t("model")}</th>
          <th scope="col" className="num">
            {t("precision")}
          </th>
        </tr>
      </thead>
      <tbody>
        {data.summary.slice(0, 30).map((p) => (
          <tr key={`${p.articleId}:${p.storeId}`}>
            <td data-label={t("article")}>
              <button
                type="button"
                className="link"
                onClick={() => onSelect(p.articleId, p.storeId)}
              >
                {p.reference}
              </button>{" "}
              {p.name}
            </td>
            <td data-label={t("store")}>{storeCode(p.storeId)}</td>
            <td data-label={t("next7")} className="num">
              {number(p.next7, 1)}
            </td>
            <td data-label={t("next28")} className="num">
              {number(p.next28, 1)} ({number(p.next28P10)}–{number(p.next28P90)})
            </td>
            <td data-label={t("model")}>{modelName(p.model)}</td>
            <td data-label={t("precision")} className="num">
              {p.heldOutWape === null ? "–" : precision(1 - p.heldOutWape)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The grey of a closed day's shading, on every chart that marks one. */
export const CLOSED_SHADE = "rgba(97, 97, 97, 0.15)";

/**
 * A day shaded on a category axis, from its tick to the next one's (the axis needs a tick per
 * day, `axisTick.interval` 0, or a lone day's area spreads to the labelled ticks around it).
 */
export function dayShade(label: string, name: string, color: string) {
  return [{ name, xAxis: label, itemStyle: { color } }, { xAxis: label }];
}

/**
 * The forecast with its band: the band is drawn from P10 to P90, the tooltip says both. The days
 * the store is closed come as grey shades for a bar series' marked area (a bar's area spans its
 * day's band; a line's would run from the day's point to itself): their 0 is the calendar, not
 * a forecast.
 */
export function bandSeries(
  forecasts: readonly ForecastView[],
  labels: { forecast: string; interval: string; closed: string; colon: string },
  format: (v: number) => string,
  dayLabel: (iso: string) => string,
): {
  series: LineSeriesOption[];
  tooltip: ChartOption["tooltip"];
  closedShades: ReturnType<typeof dayShade>[];
} {
  return {
    closedShades: forecasts
      .filter((f) => f.closed)
      .map((f) => dayShade(dayLabel(f.date), labels.closed, CLOSED_SHADE)),
    series: [
      {
        name: "P10",
        type: "line",
        data: forecasts.map((f) => f.p10),
        lineStyle: { opacity: 0 },
        stack: "band",
        symbol: "none",
        silent: true,
      },
      {
        name: labels.interval,
        type: "line",
        data: forecasts.map((f) => f.p90 - f.p10),
        lineStyle: { opacity: 0 },
        areaStyle: { color: "#90caf9", opacity: 0.5 },
        // The legend's mark takes the series' colour: without one it was the palette's green,
        // beside a blue band.
        color: "#90caf9",
        stack: "band",
        symbol: "none",
      },
      {
        name: labels.forecast,
        type: "line",
        data: forecasts.map((f) => f.forecast),
        color: "#0d47a1",
      },
    ],
    tooltip: {
      trigger: "axis",
      formatter: (items: unknown) => {
        const list = items as { dataIndex: number; axisValueLabel: string }[];
        const f = forecasts[list[0]?.dataIndex ?? 0];
        if (!f) return "";
        if (f.closed) return `${list[0]?.axisValueLabel}<br/>${labels.closed}`;
        const { colon } = labels;
        return `${list[0]?.axisValueLabel}<br/>${labels.forecast}${colon} ${format(f.forecast)}<br/>P10${colon} ${format(f.p10)} · P90${colon} ${format(f.p90)}`;
      },
    },
  };
}

function ForecastChart({ forecasts, unit }: { forecasts: ForecastView[]; unit: string }) {
  const { t, number, date, locale } = useI18n();
  const band = bandSeries(
    forecasts,
    {
      forecast: t("forecast"),
      interval: t("interval"),
      closed: t("closedDay"),
      colon: t("colon"),
    },
    (v) => number(v, 1),
    date,
  );
  return (
    <>
      {forecasts.some((f) => f.closed) && (
        <p className="legend-note muted" data-testid="closed-note">
          <span className="swatch closed" /> {t("closedDay")}
        </p>
      )}
      <Chart
        label={t("futureForecasts")}
        option={{
          tooltip: band.tooltip,
          legend: { data: [t("forecast"), t("interval")] },
          xAxis: {
            type: "category",
            data: forecasts.map((f) => date(f.date)),
            // A tick per day, not drawn: a closed day's shade is one day wide (dayShade).
            axisTick: { show: false, interval: 0 },
          },
          yAxis: {
            type: "value",
            name: t("units", { unit }),
            axisLabel: { formatter: (v: number) => v.toLocaleString(locale) },
          },
          series: [
            ...band.series,
            {
              // No bars: their marked areas only, the closed days' shades.
              name: t("closedDay"),
              type: "bar",
              data: forecasts.map(() => null),
              silent: true,
              markArea: {
                silent: true,
                // No label per day: a week of closed Sundays would write over itself; the note
                // above the chart, the tooltip and the table say what the grey is.
                label: { show: false },
                data: band.closedShades,
              },
            },
          ],
        }}
        table={{
          columns: [t("date"), t("forecast"), "P10", "P50", "P90"],
          rows: forecasts.map((f) =>
            f.closed
              ? [date(f.date), t("closedDay"), "", "", ""]
              : [date(f.date), number(f.forecast, 2), number(f.p10), number(f.p50), number(f.p90)],
          ),
        }}
      />
    </>
  );
}

function Proof({ title, weeks, testId }: { title: string; weeks: WeekPair[]; testId: string }) {
  const { t, date, number, locale } = useI18n();
  return (
    <div data-testid={testId}>
      <Chart
        label={title}
        option={{
          tooltip: { trigger: "axis" },
          legend: { data: [t("predicted"), t("actual")] },
          xAxis: { type: "category", data: weeks.map((w) => date(w.weekStart)) },
          yAxis: {
            type: "value",
            axisLabel: { formatter: (v: number) => v.toLocaleString(locale) },
          },
          series: [
            {
              name: t("predicted"),
              type: "bar",
              data: weeks.map((w) => Math.round(w.forecast)),
              color: "#0d47a1",
            },
            {
              name: t("actual"),
              type: "bar",
              data: weeks.map((w) => Math.round(w.actual)),
              color: "#1b5e20",
            },
          ],
        }}
        table={{
          columns: [t("week"), t("predicted"), t("actual")],
          rows: weeks.map((w) => [date(w.weekStart), number(w.forecast, 1), number(w.actual, 1)]),
        }}
      />
    </div>
  );
}

/** Feedback concerns days whose sales are known: the last weeks before the batch's day. */
export function pastDays(today: string, count: number): string[] {
  const base = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: count }, (_, k) =>
    new Date(base - (k + 1) * 86_400_000).toISOString().slice(0, 10),
  );
}
