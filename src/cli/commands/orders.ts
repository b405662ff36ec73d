import { join } from "node:path";
import type { Command } from "commander";
import { draftPurchaseOrders, type FillLevel, fillDraftOrder } from "../../app/draft-order.js";
import { purchaseOrderCsv, purchaseOrderFileName } from "../../app/purchase-order-csv.js";
import { openOptiflowReader } from "../../data/optiflow/open-optiflow.js";
import { requirePublication } from "../../data/optiflow/published-results.js";
import type { PurchaseOrder } from "../../domain/replenishment/purchase-order.js";
import type { CliContext } from "../cli-context.js";
import { CliError, requireCsvOrJson } from "../cli-error.js";
import { withCliWriter } from "../cli-write.js";
import { printJson, printLines, printTable } from "../output.js";
import { openOutputFile } from "../output-file.js";
import { resolveStore } from "../resolve-names.js";

interface OrdersOptions {
  db?: string;
  json?: boolean;
  level?: string;
  store?: string;
  supplier?: string;
  format?: string;
  output?: string;
}

const LEVELS: Record<string, FillLevel> = { critique: "CRITIQUE", attention: "ATTENTION" };

/** A supplier by id or by name (the legacy `fournisseurs` table has no code). */
function resolveSupplier(orders: readonly PurchaseOrder[], value: string): number {
  const byId = /^\d+$/.test(value)
    ? orders.find((o) => o.supplier.id === Number(value))
    : undefined;
  const byName = orders.find((o) => o.supplier.name.toLowerCase() === value.toLowerCase());
  const found = byId ?? byName;
  if (!found || found.supplier.id === null)
    throw new CliError(
      `--supplier: no supplier "${value}" in the draft order (suppliers there: ${[...new Set(orders.map((o) => `${o.supplier.id} ${o.supplier.name}`))].join(", ") || "none"})`,
      2,
    );
  return found.supplier.id;
}

function orderLines(order: PurchaseOrder): string[] {
  const euros = (v: number) => `${v.toFixed(2).replace(".", ",")} €`;
  return [
    `${order.number} — ${order.supplier.name} → ${order.store.code} ${order.store.name}: ${order.lines.length} ligne(s), total ${euros(order.total)} HT` +
      (order.francoGap === null
        ? ""
        : order.francoGap > 0
          ? `, franco ${euros(order.supplier.franco ?? 0)} : il manque ${euros(order.francoGap)}`
          : ", franco atteint"),
  ];
}

/** `optiflow orders`: the draft order from the command line (the same one the pages edit). */
export function registerOrdersCommands(program: Command, context: CliContext): void {
  const orders = program
    .command("orders")
    .description("the draft order: fill it with the suggestions, show it, export purchase orders");
  registerFill(orders, context);
  registerShow(orders, context);
  registerExport(orders, context);
}

function registerFill(orders: Command, context: CliContext): void {
  orders
    .command("fill")
    .description(
      "add every suggestion of the level to the draft order (lines already there are kept)",
    )
    .option(
      "--level <level>",
      "critique (critical) or attention (critical and warning)",
      "critique",
    )
    .option("--store <code>", "one store (code or id)")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: OrdersOptions) => {
      const level = LEVELS[(options.level ?? "critique").toLowerCase()];
      if (!level)
        throw new CliError(`--level: expected critique or attention, got "${options.level}"`, 2);
      return withCliWriter(context, options.db, async (writer) => {
        const config = context.config(options.db);
        const publication = requirePublication(writer.db, context.now(), config.cacheDurationHours);
        const storeId = options.store ? resolveStore(writer.db, options.store, "--store") : null;
        const result = await writer.write("order_fill", { level, storeId }, (db, at) =>
          fillDraftOrder(db, publication.runId, { level, storeId }, at, writer.actor),
        );
        const purchase = draftPurchaseOrders(writer.db, publication.today);
        if (options.json) return printJson({ ...result, orders: purchase });
        printLines([
          `${result.added} ligne(s) ajoutée(s), ${result.kept} déjà dans la commande (quantité gardée)${result.skipped > 0 ? `, ${result.skipped} sans quantité suggérée (non ajoutée(s))` : ""}.`,
          ...purchase.flatMap(orderLines),
        ]);
      });
    });
}

function registerShow(orders: Command, context: CliContext): void {
  orders
    .command("show")
    .description("the draft order as purchase orders: one per supplier and store, totals, franco")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: OrdersOptions) => {
      const config = context.config(options.db);
      const db = openOptiflowReader(config.dbPath);
      try {
        const today = requirePublication(db, context.now(), config.cacheDurationHours).today;
        const purchase = draftPurchaseOrders(db, today);
        if (options.json) return printJson({ orders: purchase });
        if (purchase.length === 0) return printLines(["La commande en préparation est vide."]);
        for (const order of purchase) {
          printLines(orderLines(order));
          printTable(
            order.lines.map((l) => ({
              article: l.reference,
              name: l.name,
              quantity: l.quantity,
              unit_price: l.unitPrice ?? "",
              amount: l.amount ?? "",
            })),
          );
          printLines([""]);
        }
      } finally {
        db.close();
      }
    });
}

function registerExport(orders: Command, context: CliContext): void {
  orders
    .command("export")
    .description("purchase orders as files: one supplier's, or one file per supplier and store")
    .option("--supplier <code>", "supplier id or name; every supplier when omitted")
    .option(
      "--format <format>",
      "csv (French spreadsheet: ';', decimal comma, UTF-8 BOM) or json",
      "csv",
    )
    .option(
      "--output <path>",
      "the file (one supplier) or folder (every supplier); stdout / current folder by default",
    )
    .option("--db <path>", "database file")
    .action(async (options: OrdersOptions) => {
      const format = requireCsvOrJson(options.format);
      const config = context.config(options.db);
      const db = openOptiflowReader(config.dbPath);
      let purchase: PurchaseOrder[];
      try {
        const today = requirePublication(db, context.now(), config.cacheDurationHours).today;
        purchase = draftPurchaseOrders(db, today);
      } finally {
        db.close();
      }
      const render = (o: PurchaseOrder) =>
        format === "csv" ? purchaseOrderCsv(o) : `${JSON.stringify(o, null, 2)}\n`;
      if (options.supplier !== undefined) {
        const supplierId = resolveSupplier(purchase, options.supplier);
        const chosen = purchase.filter((o) => o.supplier.id === supplierId);
        if (!options.output) {
          for (const o of chosen) process.stdout.write(render(o));
          return;
        }
        if (chosen.length > 1)
          throw new CliError(
            `--output: supplier ${supplierId} has orders for ${chosen.length} stores: give a folder with no --supplier, or export each store`,
            2,
          );
        await writeFile(options.output, render(chosen[0] as PurchaseOrder));
        return;
      }
      if (purchase.length === 0)
        throw new CliError("the draft order is empty: nothing to export", 8);
      const folder = options.output ?? process.cwd();
      const written: string[] = [];
      for (const o of purchase) {
        const path = join(folder, purchaseOrderFileName(o, format));
        await writeFile(path, render(o));
        written.push(path);
      }
      printLines(written);
    });
}

async function writeFile(path: string, text: string): Promise<void> {
  const file = openOutputFile(path);
  try {
    file.stream.write(text);
    await file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}
