import { Fragment, useState } from "react";
import { addDays } from "../../../src/domain/calendar/days.js";
import {
  type AlertsQuery,
  type AlertsResponse,
  type AlertView,
  api,
  type OrderState,
} from "../api/client.js";
import { LateDelivery } from "../components/late-delivery.js";
import { NegativeStockNote } from "../components/negative-stock-note.js";
import { QuantityCalculator } from "../components/quantity-calculator.js";
import { SortSelect } from "../components/sort-select.js";
import { SortableHeader } from "../components/sortable-header.js";
import { useSuggestedNotes } from "../components/suggested-notes.js";
import { useI18n } from "../i18n/i18n.js";
import type { Messages } from "../i18n/messages.js";
import { hashFor, type SetParams } from "../routing.js";
import { alertReason } from "./alert-reason.js";
import { orderByShown } from "./order-by.js";
import { valueAtRiskText } from "./value-at-risk.js";

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

/** Why the row is at its level, in the manager's words. */
export function useReason(): (a: AlertView) => string {
  const { t, number } = useI18n();
  return (a) => alertReason(a, t, number);
}

export function AlertTable({
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
  const { t, errorText } = useI18n();
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
  const sort = filters.sort ?? "urgency";
  const dir = filters.dir ?? "asc";
  const onSort: SortChange = (sort, dir) => setParams({ sort, dir });
  if (data.alerts.length === 0) return <p className="muted">{t("empty")}</p>;
  return (
    <>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <AlertSortSelect sort={sort} dir={dir} onSort={onSort} />
      {/* Eleven columns: in a narrow window they scroll here, not the whole page. */}
      <div className="table-scroll">
        <table className="alerts cards-on-phone" data-testid="alerts-table">
          <AlertTableHead sort={sort} dir={dir} onSort={onSort} />
          <tbody>
            {data.alerts.map((a) => {
              const rowKey = `${a.articleId}-${a.storeId}`;
              return (
                <Fragment key={rowKey}>
                  <AlertRow
                    alert={a}
                    today={data.today}
                    orderPolicy={data.orderPolicy}
                    store={filters.store}
                    open={open === rowKey}
                    toggle={() => setOpen(open === rowKey ? null : rowKey)}
                  />
                  {open === rowKey && (
                    <CalculatorRow
                      alert={a}
                      today={data.today}
                      onAdd={(q) => add(a, q)}
                      onClose={() => setOpen(null)}
                    />
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

type SortValue = NonNullable<AlertsQuery["sort"]>;
type SortChange = (sort: SortValue, dir: "asc" | "desc") => void;
interface SortState {
  sort: SortValue;
  dir: "asc" | "desc";
  onSort: SortChange;
}

/** On a phone, where the headers are hidden, the same sorts from a list. */
function AlertSortSelect({ sort, dir, onSort }: SortState) {
  const { t } = useI18n();
  return (
    <SortSelect
      choices={[
        ["urgency", t("sortUrgency")],
        ...Object.entries(SORTABLE_LABELS).map(
          ([column, key]) => [column as SortableColumn | "urgency", t(key)] as const,
        ),
      ]}
      sort={sort}
      dir={dir}
      firstDir={firstDirection}
      onSort={onSort}
    />
  );
}

/** The quantity calculator, opened under its alert's row. */
function CalculatorRow(props: Parameters<typeof QuantityCalculator>[0]) {
  return (
    <tr className="calculator-row">
      <td colSpan={12}>
        <QuantityCalculator {...props} />
      </td>
    </tr>
  );
}

/** One alert's row: why it is at its level, its stock, what to order and by when. */
function AlertRow({
  alert: a,
  today,
  orderPolicy,
  store,
  open,
  toggle,
}: {
  alert: AlertView;
  today: string;
  orderPolicy: string | null;
  store: number | undefined;
  open: boolean;
  toggle: () => void;
}) {
  const { t, number, money } = useI18n();
  const orderBy = useOrderByText(a, today);
  return (
    <tr className={`level-${a.level}`} data-testid={`row-${a.reference}-${a.storeCode}`}>
      <td data-label={t("article")}>
        <a href={hashFor("article", { store }, [a.articleId, a.storeId])}>{a.reference}</a> {a.name}{" "}
        <span className="muted">({a.unit})</span>
      </td>
      <td data-label={t("store")}>{a.storeCode}</td>
      <ReasonCell alert={a} today={today} />
      <td data-label={t("onHand")} className="num" data-testid="on-hand">
        {number(a.onHand, 2)}
        {a.onHand < 0 && <NegativeStockNote />}
      </td>
      <OnOrderCell alert={a} today={today} />
      <td data-label={t("untilStockout")} className="num" data-testid="until-stockout">
        {a.daysToStockout === null
          ? t("beyondHorizon", { count: 63 })
          : t("days", { count: a.daysToStockout })}
      </td>
      <td data-label={t("valueAtRisk")} className="num">
        {a.valueAtRisk ? valueAtRiskText(money, a.valueAtRisk) : "–"}
      </td>
      <td data-label={t("classes")}>
        {a.abc ?? "–"}
        {a.xyz ?? ""}
      </td>
      <td data-label={t("supplier")}>{a.supplier ?? "–"}</td>
      <SuggestedCell alert={a} orderPolicy={orderPolicy} />
      <td data-label={t("orderBy")} data-testid="order-by">
        {orderBy}
      </td>
      <td className="row-actions no-print">
        <button
          type="button"
          className="secondary"
          onClick={toggle}
          aria-expanded={open}
          data-testid={`open-${a.reference}-${a.storeCode}`}
        >
          {t("calculate")}
        </button>
      </td>
    </tr>
  );
}

/** The quantity to order, and under it what the notes of useSuggestedNotes say of it. */
function SuggestedCell({
  alert: a,
  orderPolicy,
}: {
  alert: AlertView;
  orderPolicy: string | null;
}) {
  const { t, number } = useI18n();
  const notes = useSuggestedNotes()(a, orderPolicy);
  return (
    <td data-label={t("suggested")} className="num" data-testid="suggested">
      {a.suggestedQty ? number(a.suggestedQty, 3) : "–"}
      {notes.map((note) => (
        <span key={note} className="muted small suggested-note">
          {note}
        </span>
      ))}
    </td>
  );
}

/** The "order by" cell: today's words, the day, or nothing (order-by.ts decides which). */
function useOrderByText(a: AlertView, today: string): string {
  const { t, date } = useI18n();
  const day = orderByShown(a, today);
  if (day === null) return "";
  return day <= today ? t("orderToday") : date(day);
}

/** The level, why, and the day the shelf empties when it is not OK. */
function ReasonCell({ alert: a, today }: { alert: AlertView; today: string }) {
  const { t, date } = useI18n();
  const reason = useReason();
  const stockout =
    a.daysToStockout !== null && a.level !== "OK" ? addDays(today, a.daysToStockout) : null;
  return (
    <td data-label={t("why")} data-testid="reason">
      <span className={`tag level-${a.level}`}>{t(a.level as "OK")}</span> {reason(a)}
      {stockout && (
        <span className="muted">
          {" "}
          · {t("stockoutOn")} {date(stockout)}
        </span>
      )}
    </td>
  );
}

/**
 * What is on order: the next delivery's units and day, and what comes after it ("24 attendu(s)
 * le 4 déc., 24 ensuite", not 48 on the 4th). A delivery whose day has passed is said to be late:
 * the batch still counts it as due today, and it is the supplier the manager calls this morning.
 */
function OnOrderCell({ alert: a, today }: { alert: AlertView; today: string }) {
  const { t, number, date } = useI18n();
  if (a.onOrder <= 0 || a.nextDelivery === null)
    return (
      <td data-label={t("onOrder")} data-testid="on-order">
        {a.onOrder > 0 ? number(a.onOrder, 2) : t("noOrder")}
      </td>
    );
  // A run published before the next delivery's units were kept: the total, as it then said.
  const next = a.nextDeliveryQuantity ?? a.onOrder;
  const later = a.onOrder - next;
  const day = { quantity: number(next, 2), date: date(a.nextDelivery) };
  return (
    <td data-label={t("onOrder")} data-testid="on-order">
      {later >= 0.005
        ? t("expectedOnThenMore", { ...day, later: number(later, 2) })
        : t("expectedOn", day)}
      {a.nextDelivery < today && <LateDelivery />}
    </td>
  );
}

function AlertTableHead({ sort, dir, onSort }: SortState) {
  const { t } = useI18n();
  const sortable = (column: SortableColumn, numeric = false) => (
    <SortableHeader
      column={column}
      label={t(SORTABLE_LABELS[column])}
      numeric={numeric}
      sort={sort}
      dir={dir}
      firstDir={firstDirection(column)}
      onSort={onSort}
    />
  );
  return (
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
  );
}
