import type { PurchaseOrder } from "../domain/replenishment/purchase-order.js";
import { frenchCsv } from "./french-csv.js";

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

/** A purchase order for a French spreadsheet (french-csv.ts). */
export function purchaseOrderCsv(order: PurchaseOrder): string {
  return frenchCsv(
    ORDER_CSV_COLUMNS,
    order.lines.map((l) => [
      l.supplier,
      l.storeCode,
      l.reference,
      l.name,
      l.quantity,
      l.unitPrice,
      l.amount,
    ]),
  );
}

/** A file name that says which order it is: commande-CMD-20261125-3-MAG01.csv. */
export function purchaseOrderFileName(order: PurchaseOrder, format: "csv" | "json"): string {
  return `commande-${order.number}.${format}`;
}
