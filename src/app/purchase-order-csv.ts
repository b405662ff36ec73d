import type { PurchaseOrder } from "../domain/replenishment/purchase-order.js";

/** The columns of an exported purchase order (unchanged since the first CSV export). */
export const ORDER_CSV_COLUMNS = [
  "supplier",
  "store",
  "article",
  "name",
  "quantity",
  "unit_price",
  "amount",
] as const;

/**
 * A purchase order as a French spreadsheet opens it: UTF-8 with a byte-order mark (or accents
 * break), `;` between fields (the comma is the decimal separator), decimal commas, CRLF ends of
 * line; fields quoted only when they hold `;`, a quote or a line break.
 */
export function purchaseOrderCsv(order: PurchaseOrder): string {
  const field = (value: string | number | null) => {
    if (value === null) return "";
    const text = typeof value === "number" ? decimalComma(value) : value;
    return /[";\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows = order.lines.map((l) =>
    [l.supplier, l.storeCode, l.reference, l.name, l.quantity, l.unitPrice, l.amount]
      .map(field)
      .join(";"),
  );
  return `\uFEFF${[ORDER_CSV_COLUMNS.join(";"), ...rows].join("\r\n")}\r\n`;
}

function decimalComma(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return String(rounded).replace(".", ",");
}

/** A file name that says which order it is: commande-CMD-20261125-3-MAG01.csv. */
export function purchaseOrderFileName(order: PurchaseOrder, format: "csv" | "json"): string {
  return `commande-${order.number}.${format}`;
}
