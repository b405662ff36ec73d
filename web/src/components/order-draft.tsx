import type { OrderLine } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

export const ORDER_CSV_HEADER = "supplier,store,article,name,quantity,unit_price,amount";

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function orderCsv(lines: readonly OrderLine[]): string {
  const rows = [...lines]
    .sort((a, b) => a.supplier.localeCompare(b.supplier) || a.reference.localeCompare(b.reference))
    .map((l) =>
      [
        l.supplier,
        l.storeCode,
        l.reference,
        l.name,
        l.quantity,
        l.unitPrice ?? "",
        l.unitPrice === null ? "" : Math.round(l.quantity * l.unitPrice * 100) / 100,
      ]
        .map(csvField)
        .join(","),
    );
  return `${[ORDER_CSV_HEADER, ...rows].join("\n")}\n`;
}

/** The draft order, grouped by supplier, exportable as CSV and printable as a purchase order. */
export function OrderDraft({
  lines,
  onRemove,
}: {
  lines: OrderLine[];
  onRemove: (line: OrderLine) => void;
}) {
  const { t, number, money } = useI18n();
  const bySupplier = new Map<string, OrderLine[]>();
  for (const line of lines)
    bySupplier.set(line.supplier, [...(bySupplier.get(line.supplier) ?? []), line]);
  const download = () => {
    const url = URL.createObjectURL(
      new Blob([orderCsv(lines)], { type: "text/csv;charset=utf-8" }),
    );
    const a = document.createElement("a");
    a.href = url;
    a.download = `commande-${new Date().toISOString().slice(0, 10)}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section className="panel order" aria-labelledby="order-title" data-testid="draft-order">
      <h2 id="order-title">{t("draftOrder")}</h2>
      {lines.length === 0 && <p className="muted">{t("emptyOrder")}</p>}
      {[...bySupplier.entries()].map(([supplier, group]) => (
        <div key={supplier} className="supplier-group">
          <h3>{supplier}</h3>
          <table>
            <tbody>
              {group.map((line) => (
                <tr key={`${line.articleId}-${line.storeId}`}>
                  <td>{line.storeCode}</td>
                  <td>
                    {line.reference} {line.name}
                  </td>
                  <td className="num">{number(line.quantity, 3)}</td>
                  <td className="num">
                    {line.unitPrice === null ? "–" : money(line.quantity * line.unitPrice)}
                  </td>
                  <td className="no-print">
                    <button type="button" onClick={() => onRemove(line)}>
                      {t("remove")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {lines.length > 0 && (
        <div className="actions no-print">
          <button type="button" onClick={download} data-testid="export-csv">
            {t("exportCsv")}
          </button>
          <button type="button" onClick={() => window.print()}>
            {t("printOrder")}
          </button>
        </div>
      )}
    </section>
  );
}
