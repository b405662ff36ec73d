import { Fragment, useState } from "react";
import {
  type AlertsResponse,
  type AlertView,
  api,
  type Catalog,
  type OrderLine,
} from "../api/client.js";
import { EventForm } from "../components/event-form.js";
import { OrderDraft } from "../components/order-draft.js";
import { QuantityCalculator } from "../components/quantity-calculator.js";
import { AsyncView } from "../components/state-views.js";
import { StatusBar } from "../components/status-bar.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";

const LEVELS = ["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"] as const;

interface Props {
  storeId: number | undefined;
  catalog: Catalog;
  order: OrderLine[];
  setOrder: (lines: OrderLine[]) => void;
}

/** The morning page: what runs out before a delivery could arrive, first; how much to order. */
export function AlertsPage({ storeId, catalog, order, setOrder }: Props) {
  const { t } = useI18n();
  const [category, setCategory] = useState<number | undefined>();
  const [supplier, setSupplier] = useState<number | undefined>();
  const [search, setSearch] = useState("");
  const [limit, setLimit] = useState(120);
  const [state] = useAsync(
    () =>
      api.alerts({ store: storeId, category, supplier, search: search.trim() || undefined, limit }),
    [storeId, category, supplier, search, limit],
  );
  const select = (value: string) => (value === "" ? undefined : Number(value));
  return (
    <div className="page">
      <search className="filters">
        <label>
          {t("category")}
          <select
            value={category ?? ""}
            onChange={(e) => setCategory(select(e.target.value))}
            data-testid="filter-category"
          >
            <option value="">{t("allCategories")}</option>
            {catalog.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("supplier")}
          <select value={supplier ?? ""} onChange={(e) => setSupplier(select(e.target.value))}>
            <option value="">{t("allSuppliers")}</option>
            {catalog.suppliers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("search")}
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="filter-search"
          />
        </label>
      </search>
      <AsyncView state={state}>
        {(data) => (
          <>
            <AlertsContent data={data} setOrder={setOrder} />
            {data.truncated && (
              <button type="button" onClick={() => setLimit(limit + 1000)} data-testid="show-more">
                {t("showMore", { shown: data.alerts.length, total: data.total })}
              </button>
            )}
          </>
        )}
      </AsyncView>
      <div className="columns">
        <OrderDraft
          lines={order}
          onRemove={(line) =>
            api.removeOrderLine(line.articleId, line.storeId).then((r) => setOrder(r.lines))
          }
        />
        <EventForm catalog={catalog} />
      </div>
    </div>
  );
}

function AlertsContent({
  data,
  setOrder,
}: {
  data: AlertsResponse;
  setOrder: (lines: OrderLine[]) => void;
}) {
  const { t, number, percent, errorText } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const [orderError, setOrderError] = useState<string | null>(null);
  const add = (alert: AlertView, quantity: number) => {
    api.putOrderLine({ articleId: alert.articleId, storeId: alert.storeId, quantity }).then(
      (r) => {
        setOrder(r.lines);
        setOrderError(null);
        setOpen(null);
      },
      (error: Error) => setOrderError(errorText(error)),
    );
  };
  const performance = data.mlPerformance;
  return (
    <>
      <StatusBar publication={data} />
      {orderError && (
        <p className="banner error" role="alert">
          {orderError}
        </p>
      )}
      <ul className="counts" aria-label={t("alertsCount")}>
        {LEVELS.map((level) => (
          <li key={level} className={`count level-${level}`} data-testid={`count-${level}`}>
            <span>{t(level)}</span> <strong>{number(data.counts[level] ?? 0)}</strong>
          </li>
        ))}
      </ul>
      {performance && (
        <section className="panel inline" aria-labelledby="ml-title" data-testid="ml-performance">
          <h2 id="ml-title">{t("mlPerformance")}</h2>
          <p>
            {t("precision")} <strong>{percent(performance.precision)}</strong> · {t("mape")}{" "}
            <strong>{percent(performance.mape)}</strong>{" "}
            <span className="muted">
              ({performance.source === "stored" ? t("storedLabel") : t("backtestLabel")})
            </span>
          </p>
        </section>
      )}
      {LEVELS.map((level) => {
        const rows = data.alerts.filter((a) => a.level === level);
        if (rows.length === 0) return null;
        const table = (
          <table className="alerts" data-testid={`table-${level}`}>
            <thead>
              <tr>
                <th>{t("article")}</th>
                <th>{t("store")}</th>
                <th className="num">{t("stock")}</th>
                <th className="num">{t("leadTime")}</th>
                <th className="num">{t("salesInLead")}</th>
                <th className="num">{t("remaining")}</th>
                <th className="num">{t("suggested")}</th>
                <th>{t("orderBy")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 300).map((a) => {
                const key = `${a.articleId}-${a.storeId}`;
                return (
                  <Fragment key={key}>
                    <tr>
                      <td>
                        <button
                          type="button"
                          className="link"
                          onClick={() => setOpen(open === key ? null : key)}
                          aria-expanded={open === key}
                          data-testid={`open-${a.reference}-${a.storeCode}`}
                        >
                          {a.reference}
                        </button>{" "}
                        {a.name}
                      </td>
                      <td>{a.storeCode}</td>
                      <td className="num">{number(a.stockActuel, 2)}</td>
                      <td className="num">{a.leadTime}</td>
                      <td className="num">{number(a.ventesPrevuesDelai, 1)}</td>
                      <td className="num">{number(a.reste, 1)}</td>
                      <td className="num">{number(a.suggestedQty, 3)}</td>
                      <td>{a.orderBy ?? "–"}</td>
                    </tr>
                    {open === key && (
                      <tr>
                        <td colSpan={8}>
                          <QuantityCalculator
                            alert={a}
                            onAdd={(q) => add(a, q)}
                            onClose={() => setOpen(null)}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        );
        return (
          <section key={level} className={`level-section level-${level}`}>
            {level === "OK" ? (
              <details>
                <summary>
                  <h2>
                    {t(level)} ({rows.length})
                  </h2>
                </summary>
                {table}
              </details>
            ) : (
              <>
                <h2>
                  {t(level)} ({rows.length})
                </h2>
                {table}
              </>
            )}
          </section>
        );
      })}
      {data.alerts.length === 0 && <p className="muted">{t("empty")}</p>}
      {data.dataChecks.length > 0 && (
        <section className="panel" aria-labelledby="checks-title">
          <h2 id="checks-title">{t("dataChecks")}</h2>
          <ul data-testid="data-checks">
            {data.dataChecks.map((c) => (
              <li key={`${c.kind}-${c.tableName}`}>
                <strong>{c.count}</strong> × {c.description}{" "}
                <span className="muted">({c.tableName})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
