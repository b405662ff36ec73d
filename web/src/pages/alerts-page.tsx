import { useEffect, useState } from "react";
import {
  type AlertsQuery,
  type AlertsResponse,
  api,
  type Catalog,
  type OrderState,
  query,
} from "../api/client.js";
import { BaselineNote } from "../components/baseline-note.js";
import { DownloadLink } from "../components/download-link.js";
import { EventForm } from "../components/event-form.js";
import { OrderDraft } from "../components/order-draft.js";
import { AsyncView } from "../components/state-views.js";
import { StatusBar } from "../components/status-bar.js";
import { useAsync } from "../components/use-async.js";
import { useDebounced } from "../components/use-debounced.js";
import { useI18n } from "../i18n/i18n.js";
import { numberParam, type Route, type SetParams } from "../routing.js";
import { AlertTable } from "./alert-table.js";
import { dataCheckDetail } from "./data-check-text.js";

const LEVELS = ["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"] as const;
const PAGE = 120;

interface Props {
  catalog: Catalog;
  route: Route;
  setParams: SetParams;
  order: OrderState;
  setOrder: (state: OrderState) => void;
}

/** The morning page: what runs out before a delivery could arrive, first; how much to order. */
export function AlertsPage({ catalog, route, setParams, order, setOrder }: Props) {
  const { t } = useI18n();
  const p = route.params;
  const [search, setSearch] = useState(p.get("search") ?? "");
  const settledSearch = useDebounced(search.trim(), 300);
  useEffect(() => {
    if ((p.get("search") ?? "") !== settledSearch)
      setParams({ search: settledSearch || undefined });
  }, [settledSearch, p, setParams]);
  const [limit, setLimit] = useState(PAGE);
  const filters = filtersOf(p);
  const key = JSON.stringify(filters);
  // A new filter starts from the first page again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the filters change
  useEffect(() => setLimit(PAGE), [key]);
  const [state] = useAsync(() => api.alerts({ ...filters, limit }), [key, limit]);
  const select = (name: string, value: string) => setParams({ [name]: value || undefined });
  return (
    <div className="page">
      <h1>{t("alertsTitle")}</h1>
      <AlertFilters
        catalog={catalog}
        params={p}
        search={search}
        setSearch={setSearch}
        select={select}
      />
      <AsyncView state={state}>
        {(data) => (
          <>
            <StatusBar publication={data} />
            <LevelChips data={data} level={filters.level} setParams={setParams} />
            <Performance data={data} />
            <FillOrder filters={filters} setOrder={setOrder} />
            <AlertTable data={data} filters={filters} setParams={setParams} onOrder={setOrder} />
            <ShowMore data={data} onMore={() => setLimit(limit + PAGE)} />
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

/** The page's filters, as its address holds them (so that a link reopens the same list). */
function filtersOf(p: URLSearchParams): AlertsQuery {
  return {
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
}

/** Puts every critical (or warning) article of the filtered store and supplier on the draft. */
function FillOrder({
  filters,
  setOrder,
}: {
  filters: AlertsQuery;
  setOrder: (state: OrderState) => void;
}) {
  const { t, errorText } = useI18n();
  const [message, setMessage] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const fill = (level: "CRITIQUE" | "ATTENTION") =>
    api
      .fillOrder({ level, storeId: filters.store ?? null, supplierId: filters.supplier ?? null })
      .then(
        (r) => {
          setOrder({ lines: r.lines, orders: r.orders });
          // The rows left out say so: a click on "every critical suggestion" that adds fewer
          // lines than critical rows otherwise reads as a fault.
          const skipped = r.skipped > 0 ? ` ${t("filledSkipped", { skipped: r.skipped })}` : "";
          setMessage({
            kind: "info",
            text: `${t("filled", { added: r.added, kept: r.kept })}${skipped}`,
          });
        },
        (error) => setMessage({ kind: "error", text: errorText(error) }),
      );
  return (
    <>
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
        {/* The list as filtered and sorted, every row of it, for a spreadsheet. */}
        <DownloadLink
          className="export-link"
          href={`/api/alerts/export${query({ ...filters })}`}
          testId="alerts-export"
        >
          {t("alertsExport")}
        </DownloadLink>
      </div>
      {message && (
        <p className={`banner ${message.kind}`} role="status" data-testid="fill-message">
          {message.text}
        </p>
      )}
    </>
  );
}

/** The next page of alerts, or the words that say every one is shown. */
function ShowMore({ data, onMore }: { data: AlertsResponse; onMore: () => void }) {
  const { t } = useI18n();
  return (
    <div className="more no-print">
      {data.truncated ? (
        <button type="button" className="secondary" onClick={onMore} data-testid="show-more">
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
  );
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

/** The filters above the table; each one lives in the page's address, as does the search. */
function AlertFilters({
  catalog,
  params,
  search,
  setSearch,
  select,
}: {
  catalog: Catalog;
  params: URLSearchParams;
  search: string;
  setSearch: (value: string) => void;
  select: (name: string, value: string) => void;
}) {
  const { t } = useI18n();
  const filter = (name: string, label: string, all: string, options: [string, string][]) => (
    <FilterSelect
      name={name}
      label={label}
      all={all}
      options={options}
      value={params.get(name) ?? ""}
      onChange={(value) => select(name, value)}
    />
  );
  const named = (rows: { id: number; name: string }[]) =>
    rows.map((r): [string, string] => [String(r.id), r.name]);
  const classes = (letters: string[]) => letters.map((c): [string, string] => [c, c]);
  return (
    <search className="filters no-print">
      {filter("category", t("category"), t("allCategories"), named(catalog.categories))}
      {filter("supplier", t("supplier"), t("allSuppliers"), named(catalog.suppliers))}
      {filter("abc", t("abcFilter"), t("allClasses"), classes(["A", "B", "C"]))}
      {filter("xyz", t("xyzFilter"), t("allClasses"), classes(["X", "Y", "Z"]))}
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
  );
}

/** One filter: "all" first, then its choices as [value, label]. */
function FilterSelect({
  name,
  label,
  all,
  options,
  value,
  onChange,
}: {
  name: string;
  label: string;
  all: string;
  options: [string, string][];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <select
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={`filter-${name}`}
      >
        <option value="">{all}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
