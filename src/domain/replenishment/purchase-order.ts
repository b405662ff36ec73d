import { OrderInputError } from "./order-quantity.js";

/**
 * The draft order turned into purchase orders (SPEC §7, issue 14): quantities a supplier will
 * accept (whole packs, at least the minimum), one purchase order per supplier and store with its
 * totals, and how much is missing to reach the supplier's free-delivery threshold (franco).
 */
export interface OrderableLine {
  articleId: number;
  reference: string;
  name: string;
  unit: string;
  storeId: number;
  storeCode: string;
  storeName: string;
  supplierId: number | null;
  supplier: string;
  quantity: number;
  packSize: number;
  minimumOrder: number;
  /** Purchase price excl. VAT; null when the legacy base has none. */
  unitPrice: number | null;
}

export interface SupplierContact {
  id: number | null;
  name: string;
  email: string | null;
  phone: string | null;
  /** Minimum order value for free delivery (€ excl. VAT); null: none. */
  franco: number | null;
}

export interface PurchaseOrder {
  /** Stable for a supplier, a store and a day: CMD-YYYYMMDD-<supplier id>-<store code>. */
  number: string;
  date: string;
  supplier: SupplierContact;
  store: { id: number; code: string; name: string };
  lines: (OrderableLine & { amount: number | null })[];
  /** Σ quantity × unit price over the lines that have a price. */
  total: number;
  /** Lines without a purchase price: their amount is unknown, the total leaves them out. */
  linesWithoutPrice: number;
  /** € still missing to reach the franco (0 when reached, null when the supplier has none). */
  francoGap: number | null;
}

/**
 * A quantity the supplier will accept: a whole number of packs, and at least the minimum order.
 * Never changed silently: a refusal names the two nearest accepted quantities.
 */
export function checkOrderQuantity(quantity: number, packSize: number, minimumOrder: number): void {
  if (!Number.isFinite(quantity) || quantity <= 0)
    throw new OrderInputError("quantity", "must be a positive number", "invalid_input");
  const pack = packSize > 0 ? packSize : 1;
  const packs = quantity / pack;
  if (Math.abs(packs - Math.round(packs)) > 1e-9) {
    const below = Math.floor(packs) * pack;
    const above = Math.ceil(packs) * pack;
    throw new OrderInputError(
      "quantity",
      `${quantity} is not a whole number of packs of ${pack}: ${below > 0 ? `${below} or ` : ""}${above}`,
      "not_pack_multiple",
      { pack, below, above },
    );
  }
  if (quantity < minimumOrder - 1e-9) {
    const least = Math.ceil(minimumOrder / pack - 1e-9) * pack;
    throw new OrderInputError(
      "quantity",
      `${quantity} is below the supplier's minimum order of ${minimumOrder}: at least ${least}`,
      "below_minimum",
      { minimum: minimumOrder, least },
    );
  }
}

/** One purchase order per supplier and store, lines by reference, with totals and franco gap. */
export function purchaseOrders(
  lines: readonly OrderableLine[],
  suppliers: ReadonlyMap<number, SupplierContact>,
  date: string,
): PurchaseOrder[] {
  const groups = new Map<string, OrderableLine[]>();
  for (const line of lines) {
    const key = `${line.supplierId ?? "none"}|${line.storeId}`;
    const group = groups.get(key);
    if (group) group.push(line);
    else groups.set(key, [line]);
  }
  const orders: PurchaseOrder[] = [];
  for (const group of groups.values()) {
    const first = group[0] as OrderableLine;
    const supplier = (first.supplierId !== null ? suppliers.get(first.supplierId) : undefined) ?? {
      id: first.supplierId,
      name: first.supplier,
      email: null,
      phone: null,
      franco: null,
    };
    const priced = [...group]
      .sort((a, b) => a.reference.localeCompare(b.reference))
      .map((l) => ({
        ...l,
        amount: l.unitPrice === null ? null : Math.round(l.quantity * l.unitPrice * 100) / 100,
      }));
    const total = Math.round(priced.reduce((sum, l) => sum + (l.amount ?? 0), 0) * 100) / 100;
    orders.push({
      number: `CMD-${date.replaceAll("-", "")}-${supplier.id ?? 0}-${first.storeCode}`,
      date,
      supplier,
      store: { id: first.storeId, code: first.storeCode, name: first.storeName },
      lines: priced,
      total,
      linesWithoutPrice: priced.filter((l) => l.amount === null).length,
      francoGap:
        supplier.franco === null
          ? null
          : Math.max(0, Math.round((supplier.franco - total) * 100) / 100),
    });
  }
  return orders.sort(
    (a, b) =>
      a.supplier.name.localeCompare(b.supplier.name) || a.store.code.localeCompare(b.store.code),
  );
}
