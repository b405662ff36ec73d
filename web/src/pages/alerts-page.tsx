import { Fragment, useEffect, useState } from "react";
import {
  type AlertsQuery,
  type AlertsResponse,
  type AlertView,
  api,
  type Catalog,
  type OrderState,
} from "../api/client.js";
import { BaselineNote } from "../components/baseline-note.js";
import { EventForm } from "../components/event-form.js";
import { NegativeStockNote } from "../components/negative-stock-note.js";
import { OrderDraft } from "../components/order-draft.js";
import { QuantityCalculator } from "../components/quantity-calculator.js";
import { SortSelect } from "../components/sort-select.js";
import { SortableHeader } from "../components/sortable-header.js";
import { AsyncView } from "../components/state-views.js";
import { StatusBar } from "../components/status-bar.js";
import { useAsync } from "../components/use-async.js";
import { useDebounced } from "../components/use-debounced.js";
import { useI18n } from "../i18n/i18n.js";
import type { Messages } from "../i18n/messages.js";
import { hashFor, numberParam, type Route } from "../routing.js";
import { alertReason } from "./alert-reason.js";
import { dataCheckDetail } from "./data-check-text.js";

const LEVELS = ["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"] as const;
const PAGE = 120;

type SetParams = (changes: Record<string, string | number | undefined | null>) => void;

interface Props {
  catalog: Catalog;
  route: Route;
  setParams: SetParams;
  order: OrderState;
  setOrder: (state: OrderState) => void;
}

/** The morning page: what runs out before a delivery could arrive, first; how much to order. */
export function AlertsPage({ catalog, route, setParams, order, setOrder }: Props) {
  const { t, errorText } = useI18n();
  const p = route.params;
  const [search, setSearch] = useState(p.get("search") ?? "");
  const settledSearch = useDebounced(search.trim(), 300);
  useEffect(() => {
    if ((p.get("search") ?? "") !== settledSearch)
      setParams({ search: settledSearch || undefined });
  }, [settledSearch, p, setParams]);
  const [limit, setLimit] = useState(PAGE);
  const filters: AlertsQuery = {
    level: (p.get("level") ?? undefined) as AlertsQuery["level"],
    store: numberParam(p, "store"),
    category: numberParam(p, "category"),
    supplier: numberParam(p, "supplier"),
    abc: (p.get("abc") ?? undefined) as AlertsQuery["abc"],
    xyz: (p.get("xyz") ?? undefined) as AlertsQuery["xyz"],
    search: p.get("search") ?? undefined,
    sort: (p.get("sort") ?? undefined) as AlertsQuery["sort"],
    dir: (p.get("dir") ?? undefined) as AlertsQuery["dir"],
  };
  const key = JSON.stringify(filters);
  // A new filter starts from the first page again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the filters change
  useEffect(() => setLimit(PAGE), [key]);
  const [state] = useAsync(() => api.alerts({ ...filters, limit }), [key, limit]);
  const [message, setMessage] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const fill = (level: "CRITIQUE" | "ATTENTION") =>
    api
      .fillOrder({ level, storeId: filters.store ?? null, supplierId: filters.supplier ?? null })
      .then(
        (r) => {
          setOrder({ lines: r.lines, orders: r.orders });
          setMessage({ kind: "info", text: t("filled", { added: r.added, kept: r.kept }) });
        },
        (error) => setMessage({ kind: "error", text: errorText(error) }),
      );
  const select = (name: string, value: string) => setParams({ [name]: value || undefined });
  return (
    <div className="page">
      <h1>{t("alertsTitle")}</h1>
      <search className="filters no-print">
        <label>
          {t("category")}
          <select
            value={p.get("category") ?? ""}
            onChange={(e) => select("category", e.target.value)}
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
          <select
            value={p.get("supplier") ?? ""}
            onChange={(e) => select("supplier", e.target.value)}
            data-testid="filter-supplier"
          >
            <option value="">{t("allSuppliers")}</option>
            {catalog.suppliers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("abcFilter")}
          <select
            value={p.get("abc") ?? ""}
            onChange={(e) => select("abc", e.target.value)}
            data-testid="filter-abc"
          >
            <option value="">{t("allClasses")}</option>
            {["A", "B", "C"].map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          {t("xyzFilter")}
          <select
            value={p.get("xyz") ?? ""}
            onChange={(e) => select("xyz", e.target.value)}
            data-testid="filter-xyz"
          >
            <option value="">{t("allClasses")}</option>
            {["X", "Y", "Z"].map((c) => (
              <option key={c}>{c}</option>
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
            <StatusBar publication={data} />
            <LevelChips data={data} level={filters.level} setParams={setParams} />
            <Performance data={data} />
            <div className="actions no-print">
              <button type="button" onClick={() => fill("CRITIQUE")} data-testid="fill-critical">
                {t("fillCritical")}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => fill("ATTENTION")}
                data-testid="fill-warning"
              >
                {t("fillWarning")}
              </button>
            </div>
            {message && (
              <p className={`banner ${message.kind}`} role="status" data-testid="fill-message">
                {message.text}
              </p>
            )}
            <AlertTable data={data} filters={filters} setParams={setParams} onOrder={setOrder} />
            <div className="more no-print">
              {data.truncated ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setLimit(limit + PAGE)}
                  data-testid="show-more"
                >
                  {t("showMore", {
                    count: Math.min(PAGE, data.total - data.alerts.length),
                    shown: data.alerts.length,
                    total: data.total,
                  })}
                </button>
              ) : (
                <p className="muted">{t("allShown", { total: data.total })}</p>
              )}
            </div>
            <DataChecks data={data} />
          </>
        )}
      </AsyncView>
      <div className="columns">
        <OrderDraft state={order} setOrder={setOrder} />
        <EventForm catalog={catalog} />
      </div>
    </div>
  );
}

/**
 * The table's sortable columns and their headers' labels, in the table's order: the headers and
 * the "Trier par" list that stands in for them on a phone read the same ones.
 */
const SORTABLE_LABELS = {
  reference: "article",
  store: "store",
  onHand: "onHand",
  stockoutDate: "untilStockout",
  valueAtRisk: "valueAtRisk",
  abc: "classes",
  supplier: "supplier",
  quantity: "suggested",
} as const satisfies Partial<Record<NonNullable<AlertsQuery["sort"]>, keyof Messages>>;
type SortableColumn = keyof typeof SORTABLE_LABELS;

/** The money at risk and the quantity to order: the largest first, on the first click. */
function firstDirection(column: NonNullable<AlertsQuery["sort"]>): "asc" | "desc" {
  return column === "valueAtRisk" || column === "quantity" ? "desc" : "asc";
}

function LevelChips({
  data,
  level,
  setParams,
}: {
  data: AlertsResponse;
  level: string | undefined;
  setParams: SetParams;
}) {
  const { t, number } = useI18n();
  const all = LEVELS.reduce((n, l) => n + (data.counts[l] ?? 0), 0);
  return (
    <fieldset className="counts">
      <legend className="sr-only">{t("levelFilter")}</legend>
      <button
        type="button"
        className="count"
        aria-pressed={level === undefined}
        onClick={() => setParams({ level: undefined })}
        data-testid="count-all"
      >
        <span>{t("allLevels")}</span> <strong>{number(all)}</strong>
      </button>
      {LEVELS.map((l) => (
        <button
          type="button"
          key={l}
          className={`count level-${l}`}
          aria-pressed={level === l}
          onClick={() => setParams({ level: level === l ? undefined : l })}
          data-testid={`count-${l}`}
        >
          <span>{t(l)}</span> <strong>{number(data.counts[l] ?? 0)}</strong>
        </button>
      ))}
    </fieldset>
  );
}

function Performance({ data }: { data: AlertsResponse }) {
  const { t, percent, precision } = useI18n();
  const performance = data.mlPerformance;
  if (!performance) return null;
  return (
    <section className="panel inline" aria-labelledby="ml-title" data-testid="ml-performance">
      <h2 id="ml-title">{t("mlPerformance")}</h2>
      <p>
        {t("precision")} <strong>{precision(performance.precision)}</strong> · {t("mape")}{" "}
        <strong>{percent(performance.mape)}</strong>{" "}
        <span className="muted">
          ({performance.source === "stored" ? t("storedLabel") : t("backtestLabel")})
        </span>
      </p>
      <BaselineNote performance={performance} />
    </section>
  );
}

/** Why the row is at its level, in the manager's words. */
export function useReason(): (a: AlertView) => string {
  const { t, number } = useI18n();
  return (a) => alertReason(a, t, number);
}

function addDaysIso(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function AlertTable({
  data,
  filters,
  setParams,
  onOrder,
}: {
  data: AlertsResponse;
  filters: AlertsQuery;
  setParams: SetParams;
  onOrder: (state: OrderState) => void;
}) {
  const { t, number, money, date, errorText } = useI18n();
  const reason = useReason();
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const add = (alert: AlertView, quantity: number) =>
    api.putOrderLine({ articleId: alert.articleId, storeId: alert.storeId, quantity }).then(
      (r) => {
        onOrder(r);
        setError(null);
        setOpen(null);
      },
      (e: Error) => setError(errorText(e)),
    );
  const sortable = (column: SortableColumn, numeric = false) => (
    <SortableHeader
      column={column}
      label={t(SORTABLE_LABELS[column])}
      numeric={numeric}
      sort={filters.sort ?? "urgency"}
      dir={filters.dir ?? "asc"}
      firstDir={firstDirection(column)}
      onSort={(sort, dir) => setParams({ sort, dir })}
    />
  );
  if (data.alerts.length === 0) return <p className="muted">{t("empty")}</p>;
  return (
    <>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <SortSelect
        choices={[
          ["urgency", t("sortUrgency")],
          ...Object.entries(SORTABLE_LABELS).map(
            ([column, key]) => [column as SortableColumn | "urgency", t(key)] as const,
          ),
        ]}
        sort={filters.sort ?? "urgency"}
        dir={filters.dir ?? "asc"}
        firstDir={firstDirection}
        onSort={(sort, dir) => setParams({ sort, dir })}
      />
      {/* Eleven columns: in a narrow window they scroll here, not the whole page. */}
      <div className="table-scroll">
        <table className="alerts cards-on-phone" data-testid="alerts-table">
          <thead>
            <tr>
              {sortable("reference")}
              {sortable("store")}
              <th scope="col">{t("why")}</th>
              {sortable("onHand", true)}
              <th scope="col">{t("onOrder")}</th>
              {sortable("stockoutDate", true)}
              {sortable("valueAtRisk", true)}
              {sortable("abc")}
              {sortable("supplier")}
              {sortable("quantity", true)}
              <th scope="col">{t("orderBy")}</th>
              <th scope="col">
                <span className="sr-only">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.alerts.map((a) => {
              const rowKey = `${a.articleId}-${a.storeId}`;
              const stockout =
                a.daysToStockout !== null && a.level !== "OK"
                  ? addDaysIso(data.today, a.daysToStockout)
                  : null;
              // "Order by" says something only when it comes before the next few weeks.
              const orderBy =
                a.orderBy && a.orderBy <= addDaysIso(data.today, 14)
                  ? a.orderBy <= data.today
                    ? t("orderToday")
                    : date(a.orderBy)
                  : "";
              return (
                <Fragment key={rowKey}>
                  <tr
                    className={`level-${a.level}`}
                    data-testid={`row-${a.reference}-${a.storeCode}`}
                  >
                    <td data-label={t("article")}>
                      <a
                        href={hashFor("article", { store: filters.store }, [
                          a.articleId,
                          a.storeId,
                        ])}
                      >
                        {a.reference}
                      </a>{" "}
                      {a.name} <span className="muted">({a.unit})</span>
                    </td>
                    <td data-label={t("store")}>{a.storeCode}</td>
                    <td data-label={t("why")} data-testid="reason">
                      <span className={`tag level-${a.level}`}>{t(a.level as "OK")}</span>{" "}
                      {reason(a)}
                      {stockout && (
                        <span className="muted">
                          {" "}
                          · {t("stockoutOn")} {date(stockout)}
                        </span>
                      )}
                    </td>
                    <td data-label={t("onHand")} className="num" data-testid="on-hand">
                      {number(a.onHand, 2)}
                      {a.onHand < 0 && <NegativeStockNote />}
                    </td>
                    <td data-label={t("onOrder")} data-testid="on-order">
                      {a.onOrder > 0
                        ? a.nextDelivery
                          ? t("expectedOn", {
                              quantity: number(a.onOrder, 2),
                              date: date(a.nextDelivery),
                            })
                          : number(a.onOrder, 2)
                        : t("noOrder")}
                    </td>
                    <td
                      data-label={t("untilStockout")}
                      className="num"
                      data-testid="until-stockout"
                    >
                      {a.daysToStockout === null
                        ? t("beyondHorizon", { count: 63 })
                        : t("days", { count: a.daysToStockout })}
                    </td>
                    <td data-label={t("valueAtRisk")} className="num">
                      {a.valueAtRisk ? money(a.valueAtRisk) : "–"}
                    </td>
                    <td data-label={t("classes")}>
                      {a.abc ?? "–"}
                      {a.xyz ?? ""}
                    </td>
                    <td data-label={t("supplier")}>{a.supplier ?? "–"}</td>
                    <td data-label={t("suggested")} className="num">
                      {a.suggestedQty ? number(a.suggestedQty, 3) : "–"}
                    </td>
                    <td data-label={t("orderBy")}>{orderBy}</td>
                    <td className="row-actions no-print">
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => setOpen(open === rowKey ? null : rowKey)}
                        aria-expanded={open === rowKey}
                        data-testid={`open-${a.reference}-${a.storeCode}`}
                      >
                        {t("calculate")}
                      </button>
                    </td>
                  </tr>
                  {open === rowKey && (
                    <tr className="calculator-row">
                      <td colSpan={12}>
                        <QuantityCalculator
                          alert={a}
                          today={data.today}
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
      </div>
    </>
  );
}

function DataChecks({ data }: { data: AlertsResponse }) {
  const { t, label, messages } = useI18n();
  if (data.dataChecks.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="checks-title">
      <h2 id="checks-title">{t("dataChecks")}</h2>
      <ul data-testid="data-checks">
        {data.dataChecks.map((c) => {
          const kind = label("check", c.kind);
          const detail = dataCheckDetail(c, messages);
          // A detail that only repeats the kind ("negative stock — negative stock") is left out.
          return (
            <li key={`${c.kind}-${c.tableName}-${c.description}`}>
              <strong>{c.count}</strong> × {kind}
              {detail === kind ? " " : ` — ${detail} `}
              <span className="muted">({c.tableName})</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
