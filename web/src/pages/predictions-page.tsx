import { useState } from "react";
import { api, type Catalog, type PredictionsResponse } from "../api/client.js";
import { Chart } from "../components/chart.js";
import { FeedbackPanel } from "../components/feedback-panel.js";
import { AsyncView } from "../components/state-views.js";
import { StatusBar } from "../components/status-bar.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";

export function PredictionsPage({
  catalog,
  storeId,
  selection,
  onSelect,
}: {
  catalog: Catalog;
  storeId: number | undefined;
  selection: { articleId: number; storeId: number } | null;
  onSelect: (s: { articleId: number; storeId: number }) => void;
}) {
  const { t } = useI18n();
  const [search, setSearch] = useState("");
  const [state] = useAsync(
    () =>
      api.predictions({
        ...(selection
          ? { article: selection.articleId, store: selection.storeId }
          : storeId
            ? { store: storeId }
            : {}),
        search: search.trim() || undefined,
      }),
    [selection?.articleId, selection?.storeId, storeId, search],
  );
  return (
    <div className="page">
      <label>
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
            selection={selection}
            onSelect={onSelect}
          />
        )}
      </AsyncView>
      {state.status === "ready" && !selection && <p className="muted">{t("chooseArticle")}</p>}
    </div>
  );
}

function PredictionsContent({
  data,
  catalog,
  selection,
  onSelect,
}: {
  data: PredictionsResponse;
  catalog: Catalog;
  selection: { articleId: number; storeId: number } | null;
  onSelect: (s: { articleId: number; storeId: number }) => void;
}) {
  const { t, number, percent, date } = useI18n();
  const storeCode = (id: number) => catalog.stores.find((s) => s.id === id)?.code ?? String(id);
  const summary = [...(data.summary ?? [])].sort((a, b) => b.next28 - a.next28);
  const forecasts = data.forecasts ?? [];
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
              if (a && s) onSelect({ articleId: a, storeId: s });
            }}
            data-testid="prediction-select"
          >
            <option value="">—</option>
            {summary.slice(0, 2000).map((p) => (
              <option key={`${p.articleId}:${p.storeId}`} value={`${p.articleId}:${p.storeId}`}>
                {p.reference} {p.name} · {storeCode(p.storeId)} · {t("next28")} {number(p.next28)} (
                {p.model})
              </option>
            ))}
          </select>
        </label>
        {forecasts.length > 0 && (
          <>
            <Chart
              label={t("futureForecasts")}
              option={{
                tooltip: { trigger: "axis" },
                xAxis: { type: "category", data: forecasts.map((f) => date(f.date)) },
                yAxis: { type: "value" },
                series: [
                  {
                    name: "P10",
                    type: "line",
                    data: forecasts.map((f) => f.p10),
                    lineStyle: { opacity: 0 },
                    stack: "band",
                    symbol: "none",
                  },
                  {
                    name: t("interval"),
                    type: "line",
                    data: forecasts.map((f) => f.p90 - f.p10),
                    lineStyle: { opacity: 0 },
                    areaStyle: { color: "#90caf9", opacity: 0.5 },
                    stack: "band",
                    symbol: "none",
                  },
                  {
                    name: t("forecast"),
                    type: "line",
                    data: forecasts.map((f) => f.forecast),
                    color: "#1565c0",
                  },
                ],
              }}
            />
            <FeedbackPanel
              key={`${selection!.articleId}:${selection!.storeId}`}
              articleId={selection!.articleId}
              storeId={selection!.storeId}
              dates={pastDays(data.today, 28)}
            />
            <details>
              <summary>
                {t("date")} / {t("forecast")}
              </summary>
              <table data-testid="forecast-table">
                <thead>
                  <tr>
                    <th>{t("date")}</th>
                    <th className="num">{t("forecast")}</th>
                    <th className="num">P10</th>
                    <th className="num">P50</th>
                    <th className="num">P90</th>
                  </tr>
                </thead>
                <tbody>
                  {forecasts.map((f) => (
                    <tr key={f.date}>
                      <td>{date(f.date)}</td>
                      <td className="num">{number(f.forecast, 2)}</td>
                      <td className="num">{f.p10}</td>
                      <td className="num">{f.p50}</td>
                      <td className="num">{f.p90}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        )}
      </section>
      {data.accuracy && (
        <section className="panel" aria-labelledby="proof-title">
          <h2 id="proof-title">{t("proof")}</h2>
          <p className="muted">
            {t("precision")} {percent(data.mlPerformance?.precision)} · {t("mape")}{" "}
            {percent(data.mlPerformance?.mape)} —{" "}
            {data.accuracy.source === "stored" ? t("storedLabel") : t("backtestLabel")}
          </p>
          <Chart
            label={t("proof")}
            option={{
              tooltip: { trigger: "axis" },
              legend: { data: [t("predicted"), t("actual")] },
              xAxis: {
                type: "category",
                data: data.accuracy.overall.map((w) => date(w.weekStart)),
              },
              yAxis: { type: "value" },
              series: [
                {
                  name: t("predicted"),
                  type: "bar",
                  data: data.accuracy.overall.map((w) => Math.round(w.forecast)),
                  color: "#1565c0",
                },
                {
                  name: t("actual"),
                  type: "bar",
                  data: data.accuracy.overall.map((w) => Math.round(w.actual)),
                  color: "#2e7d32",
                },
              ],
            }}
          />
        </section>
      )}
      {data.improvement && (
        <section className="panel" aria-labelledby="improve-title">
          <h2 id="improve-title">{t("improvement")}</h2>
          <p>{t("modelChanges", { count: data.improvement.modelChangeCount })}</p>
          <h3>{t("eventEffects")}</h3>
          <ul>
            {[...data.improvement.eventEffects]
              .sort((a, b) => Math.abs(b.effectPct) - Math.abs(a.effectPct))
              .slice(0, 12)
              .map((e) => (
                <li key={`${e.type}-${e.categoryId}`}>
                  {e.type} ·{" "}
                  {catalog.categories.find((c) => c.id === e.categoryId)?.name ?? e.categoryId} :{" "}
                  {e.effectPct > 0 ? "+" : ""}
                  {number(e.effectPct, 1)} % ({e.series})
                </li>
              ))}
          </ul>
          <h3>{t("feedbackGiven")}</h3>
          <ul data-testid="feedback-applied">
            {data.improvement.feedbackApplied.map((f) => (
              <li key={f.id}>
                #{f.articleId} · {storeCode(f.storeId)} · {date(f.date)} ·{" "}
                {t(f.reason as "RUPTURE")} — {f.effect}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** Feedback concerns days whose sales are known: the last weeks before the batch's day. */
function pastDays(today: string, count: number): string[] {
  const base = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: count }, (_, k) =>
    new Date(base - (k + 1) * 86_400_000).toISOString().slice(0, 10),
  );
}
