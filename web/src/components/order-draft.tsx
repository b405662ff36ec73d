import { useState } from "react";
import { api, type OrderState, type PurchaseOrder } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";
import { DownloadLink } from "./download-link.js";

/**
 * The draft order as purchase orders: one per supplier and store, quantities editable (a quantity
 * the supplier would refuse is refused here too, with the reason, never changed silently), totals
 * and the gap to free delivery; each order exported as a CSV a French spreadsheet opens, or
 * printed alone.
 */
export function OrderDraft({
  state,
  setOrder,
}: {
  state: OrderState;
  setOrder: (state: OrderState) => void;
}) {
  const { t } = useI18n();
  const [printing, setPrinting] = useState<string | null>(null);
  const print = (number: string) => {
    setPrinting(number);
    // After React has marked the order to print; the class is removed once printed.
    setTimeout(() => {
      window.print();
      setPrinting(null);
    }, 0);
  };
  return (
    <section
      className={`panel order${printing ? " printing" : ""}`}
      aria-labelledby="order-title"
      data-testid="draft-order"
    >
      <h2 id="order-title">{t("draftOrder")}</h2>
      {state.orders.length === 0 && <p className="muted">{t("emptyOrder")}</p>}
      {state.orders.map((order) => (
        <PurchaseOrderView
          key={order.number}
          order={order}
          printTarget={printing === order.number}
          onPrint={() => print(order.number)}
          setOrder={setOrder}
        />
      ))}
    </section>
  );
}

function PurchaseOrderView({
  order,
  printTarget,
  onPrint,
  setOrder,
}: {
  order: PurchaseOrder;
  printTarget: boolean;
  onPrint: () => void;
  setOrder: (state: OrderState) => void;
}) {
  const { t, date } = useI18n();
  return (
    <article
      className={`po${printTarget ? " print-target" : ""}`}
      aria-labelledby={`po-${order.number}`}
      data-testid={`po-${order.supplier.id}-${order.store.code}`}
    >
      <h3 id={`po-${order.number}`}>
        {t("orderFor", {
          supplier: order.supplier.name,
          store: `${order.store.code} ${order.store.name}`,
        })}
      </h3>
      <p className="po-meta">
        {t("orderNumber", { number: order.number, date: date(order.date) })}
        {order.supplier.email ? ` · ${order.supplier.email}` : ""}
        {order.supplier.phone ? ` · ${order.supplier.phone}` : ""}
      </p>
      <OrderLines order={order} setOrder={setOrder} />
      <OrderNotes order={order} />
      <div className="actions no-print">
        {order.supplier.id !== null && (
          <DownloadLink
            className="button"
            href={api.exportUrl(order.supplier.id, order.store.id, "csv")}
            testId={`export-csv-${order.supplier.id}-${order.store.code}`}
          >
            {t("exportCsv")}
          </DownloadLink>
        )}
        <button
          type="button"
          className="secondary"
          onClick={onPrint}
          data-testid={`print-${order.supplier.id}-${order.store.code}`}
        >
          {t("printOrder")}
        </button>
      </div>
    </article>
  );
}

/** The order's lines, each editable, and its total. */
function OrderLines({
  order,
  setOrder,
}: {
  order: PurchaseOrder;
  setOrder: (state: OrderState) => void;
}) {
  const { t, money } = useI18n();
  return (
    <table className="cards-on-phone">
      <thead>
        <tr>
          <th scope="col">{t("reference")}</th>
          <th scope="col">{t("name")}</th>
          <th scope="col" className="num">
            {t("quantity")}
          </th>
          <th scope="col" className="num">
            {t("unitPrice")}
          </th>
          <th scope="col" className="num">
            {t("amount")}
          </th>
          <th scope="col" className="no-print">
            <span className="sr-only">{t("actions")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {order.lines.map((line) => (
          <LineRow key={`${line.articleId}-${line.storeId}`} line={line} setOrder={setOrder} />
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={4}>{t("orderTotal", { total: "" })}</td>
          <td className="num" data-testid="po-total">
            {money(order.total, 2)}
          </td>
          <td className="no-print" />
        </tr>
      </tfoot>
    </table>
  );
}

/** How far the order is from the supplier's franco, and the lines it could not price. */
function OrderNotes({ order }: { order: PurchaseOrder }) {
  const { t, money } = useI18n();
  return (
    <>
      {order.francoGap !== null && (
        <p className={order.francoGap > 0 ? "note" : "muted"} data-testid="po-franco">
          {order.francoGap > 0
            ? t("francoMissing", {
                gap: money(order.francoGap, 2),
                franco: money(order.supplier.franco, 2),
              })
            : t("francoReached", { franco: money(order.supplier.franco, 2) })}
        </p>
      )}
      {order.linesWithoutPrice > 0 && (
        <p className="muted">{t("noPrice", { count: order.linesWithoutPrice })}</p>
      )}
    </>
  );
}

function LineRow({
  line,
  setOrder,
}: {
  line: PurchaseOrder["lines"][number];
  setOrder: (state: OrderState) => void;
}) {
  const { t, money, errorText } = useI18n();
  const [value, setValue] = useState(String(line.quantity));
  const [error, setError] = useState<string | null>(null);
  const id = `qty-${line.articleId}-${line.storeId}`;
  const save = () => {
    const quantity = Number(value.replace(",", "."));
    api.putOrderLine({ articleId: line.articleId, storeId: line.storeId, quantity }).then(
      (r) => {
        setError(null);
        setOrder(r);
      },
      (e) => setError(errorText(e)),
    );
  };
  return (
    <tr>
      <td data-label={t("reference")}>{line.reference}</td>
      <td data-label={t("name")}>{line.name}</td>
      <td className="num" data-label={t("quantity")}>
        <QuantityInput
          id={id}
          line={line}
          value={value}
          setValue={setValue}
          save={save}
          error={error}
        />
      </td>
      <td className="num" data-label={t("unitPrice")}>
        {line.unitPrice === null ? "–" : money(line.unitPrice, 2)}
      </td>
      <td className="num" data-label={t("amount")}>
        {line.amount === null ? "–" : money(line.amount, 2)}
      </td>
      <td className="no-print row-actions">
        <button
          type="button"
          className="secondary"
          onClick={save}
          disabled={value === String(line.quantity)}
          data-testid={`save-${line.reference}`}
        >
          {t("saveQuantity")}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => api.removeOrderLine(line.articleId, line.storeId).then(setOrder)}
        >
          {t("remove")}
        </button>
      </td>
    </tr>
  );
}

/** The line's quantity, saved on Enter; the server's refusal said under it. */
function QuantityInput({
  id,
  line,
  value,
  setValue,
  save,
  error,
}: {
  id: string;
  line: PurchaseOrder["lines"][number];
  value: string;
  setValue: (value: string) => void;
  save: () => void;
  error: string | null;
}) {
  const { t, number } = useI18n();
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {t("quantity")} {line.reference}
      </label>
      <input
        id={id}
        className="qty no-print"
        type="number"
        inputMode="decimal"
        min={line.minimumOrder || line.packSize}
        step={line.packSize}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && save()}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid={`qty-${line.reference}`}
      />
      <span className="print-only">{number(line.quantity, 3)}</span>
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
