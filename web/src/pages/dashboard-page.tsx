import { api } from "../api/client.js";
import { Chart } from "../components/chart.js";
import { AsyncView } from "../components/state-views.js";
import { StatusBar } from "../components/status-bar.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";

export function DashboardPage({
  storeId,
  onOpenArticle,
}: {
  storeId: number | undefined;
  onOpenArticle: (articleId: number, storeId: number) => void;
}) {
  const { t, number, money, percent, date } = useI18n();
  const [state] = useAsync(() => api.dashboard(storeId), [storeId]);
  return (
    <div className="page">
      <AsyncView state={state}>
        {(data) => (
          <>
            <StatusBar publication={data} />
            <div className="cards">
              <section className="card" aria-labelledby="health-title" data-testid="kpi-health">
                <h2 id="health-title">{t("health")}</h2>
                <p>
                  {t("CRITIQUE")}{" "}
                  <strong data-testid="kpi-critical">{number(data.health?.alerts.CRITIQUE)}</strong>{" "}
                  · {t("ATTENTION")} <strong>{number(data.health?.alerts.ATTENTION)}</strong> ·{" "}
                  {t("OK")} <strong>{number(data.health?.alerts.OK)}</strong>
                </p>
                <p>
                  {t("stockValue")}{" "}
                  <strong data-testid="kpi-stock-value">{money(data.health?.stockValue)}</strong>
                </p>
                <p>
                  {t("rotation")} <strong>{number(data.health?.rotation, 2)}</strong>
                </p>
              </section>
              <section className="card" aria-labelledby="fin-title">
                <h2 id="fin-title">{t("financial")}</h2>
                <p>
                  {t("revenueActual")} <strong>{money(data.financial?.revenueActual4w)}</strong>
                </p>
                <p>
                  {t("revenueForecast")} <strong>{money(data.financial?.revenueForecast4w)}</strong>
                </p>
                <p>
                  {t("revenueNext")} <strong>{money(data.financial?.revenueForecastNext4w)}</strong>
                </p>
                <p title={data.financial?.savings.formula}>
                  {t("savings")} <strong>{money(data.financial?.savings.total)}</strong>{" "}
                  <abbr className="info-icon" title={data.financial?.savings.formula}>
                    (?)
                  </abbr>
                </p>
              </section>
              <section className="card" aria-labelledby="ml-title">
                <h2 id="ml-title">{t("mlPerformance")}</h2>
                <p>
                  {t("precision")} <strong>{percent(data.mlPerformance?.precision)}</strong> ·{" "}
                  {t("mape")} <strong>{percent(data.mlPerformance?.mape)}</strong>
                </p>
                <p className="muted">
                  {data.mlPerformance?.source === "stored" ? t("storedLabel") : t("backtestLabel")}
                </p>
              </section>
              <section className="card" aria-labelledby="cov-title">
                <h2 id="cov-title">{t("coverage")}</h2>
                <p>
                  RUPTURE {number(data.coverage?.RUPTURE)} · SURSTOCK{" "}
                  {number(data.coverage?.SURSTOCK)} · STOCK_MORT {number(data.coverage?.STOCK_MORT)}
                </p>
              </section>
            </div>
            <section className="panel" aria-labelledby="trend-title">
              <h2 id="trend-title">{t("trend")}</h2>
              <Chart
                label={t("trend")}
                option={{
                  tooltip: { trigger: "axis" },
                  legend: { data: [t("CRITIQUE"), t("ATTENTION")] },
                  xAxis: { type: "category", data: (data.trend ?? []).map((p) => date(p.date)) },
                  yAxis: { type: "value" },
                  series: [
                    {
                      name: t("CRITIQUE"),
                      type: "line",
                      data: (data.trend ?? []).map((p) => p.CRITIQUE),
                      color: "#c62828",
                    },
                    {
                      name: t("ATTENTION"),
                      type: "line",
                      data: (data.trend ?? []).map((p) => p.ATTENTION),
                      color: "#ef6c00",
                    },
                  ],
                }}
              />
            </section>
            <section className="panel" aria-labelledby="urg-title">
              <h2 id="urg-title">{t("urgencies")}</h2>
              <ol data-testid="urgencies">
                {(data.urgencies ?? []).map((u) => (
                  <li key={`${u.articleId}-${u.storeId}`}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => onOpenArticle(u.articleId, u.storeId)}
                    >
                      {u.reference} {u.name}
                    </button>{" "}
                    ({u.storeCode}) — {t("remaining")} {number(u.remaining, 1)},{" "}
                    {money(u.valueAtRisk)}
                  </li>
                ))}
              </ol>
            </section>
          </>
        )}
      </AsyncView>
    </div>
  );
}
