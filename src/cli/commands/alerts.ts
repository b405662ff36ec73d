import type { Command } from "commander";
import { alertsCsv } from "../../app/alert-csv.js";
import { sortAlerts } from "../../app/alert-list.js";
import { decimalComma } from "../../app/french-csv.js";
import { calculateQuantities } from "../../app/quantity-calculation.js";
import { seriesKey } from "../../data/legacy/day-cache.js";
import { readOpenOrders } from "../../data/legacy/read-stock.js";
import type { Db } from "../../data/open.js";
import { type AlertView, readAlerts } from "../../data/optiflow/published-results.js";
import { publishedOrderPolicy } from "../../data/optiflow/runs-repository.js";
import { readSettings } from "../../data/optiflow/settings-repository.js";
import { addDays, dayFromIso } from "../../domain/calendar/days.js";
import { emptySuggestion } from "../../domain/replenishment/empty-suggestion.js";
import { isLate } from "../../domain/replenishment/overdue-deliveries.js";
import { safetyStockShortfall } from "../../domain/replenishment/safety-stock-warning.js";
import { shelfLifeOutcome } from "../../domain/replenishment/shelf-life-outcome.js";
import type { OpenOrderLine } from "../../domain/replenishment/stock-position.js";
import { missedWhileWaiting } from "../../domain/replenishment/waiting-for-orders.js";
import type { CliContext } from "../cli-context.js";
import { CliError, parseIsoDateOption, requireCsvOrJson } from "../cli-error.js";
import { printJson, printLines, printTable } from "../output.js";
import { openOutputFile } from "../output-file.js";
import { publicationHeader, publicationMeta, withPublication } from "../published.js";
import {
  deliveryText,
  emptySuggestionText,
  quantityNoteText,
  shelfLifeOutcomeText,
} from "../quantity-note-text.js";
import {
  resolveArticle,
  resolveCategory,
  resolveStore,
  resolveSupplier,
} from "../resolve-names.js";

interface Common {
  db?: string;
  json?: boolean;
}

const STORE_OPTION = "one store (code or id; default: every store)";

/** readAlerts' filter for `--store`, when given (an unknown store exits 2, naming it). */
function storeFilter(db: Db, store: string | undefined): { storeId?: number } {
  return store === undefined ? {} : { storeId: resolveStore(db, store, "--store") };
}

export function registerAlertsCommands(program: Command, context: CliContext): void {
  // "alertes", "critique", "calcul": the brief's French command names work too.
  const alerts = program
    .command("alerts")
    .alias("alertes")
    .description("stock alerts of the last published batch");
  registerStatus(alerts, context);
  registerCritical(alerts, context);
  registerCalc(alerts, context);
  registerExport(alerts, context);
}

function registerStatus(alerts: Command, context: CliContext): void {
  alerts
    .command("status")
    .description("alert counts by level: Critique, Attention, OK, no forecast")
    .option("--store <code>", STORE_OPTION)
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: Common & { store?: string }) =>
      withPublication(context, options.db, (db, publication) => {
        const rows = readAlerts(db, publication.runId, storeFilter(db, options.store));
        const counts = { CRITIQUE: 0, ATTENTION: 0, OK: 0, SANS_PREVISION: 0 } as Record<
          string,
          number
        >;
        for (const r of rows) counts[r.level] = (counts[r.level] ?? 0) + 1;
        if (options.json) return printJson({ ...publicationMeta(publication), counts });
        printLines(publicationHeader(publication));
        printTable(Object.entries(counts).map(([level, articles]) => ({ level, articles })));
      }),
    );
}

function registerCritical(alerts: Command, context: CliContext): void {
  alerts
    .command("critical")
    .alias("critique")
    .description("the critical articles: they run out before a delivery could arrive")
    .option("--store <code>", STORE_OPTION)
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: Common & { store?: string }) =>
      withPublication(context, options.db, (db, publication) => {
        const orderPolicy = publishedOrderPolicy(db, publication.runId);
        const rows = readAlerts(db, publication.runId, {
          level: "CRITIQUE",
          ...storeFilter(db, options.store),
        }).map(withQuantityReasons(orderPolicy));
        if (options.json)
          return printJson({ ...publicationMeta(publication), orderPolicy, alerts: rows });
        printLines(publicationHeader(publication));
        printTable(
          rows.map((r) => ({
            store: r.storeCode,
            article: r.reference,
            name: r.name,
            stock: r.stockActuel,
            lead: r.leadTime,
            sales_in_lead: r.ventesPrevuesDelai ?? "",
            reste: r.reste ?? "",
            // The shelf's first empty day, open orders counted on their expected day.
            stockout_on:
              r.daysToStockout === null ? "" : addDays(publication.today, r.daysToStockout),
            order: r.suggestedQty ?? "",
            order_by: r.orderBy ?? "",
            // The Alerts page's figure: the forecast sales the shelf misses before a delivery
            // could arrive, at shelf price (last, so that the columns before keep their place).
            value_at_risk: r.valueAtRisk ?? "",
          })),
        );
        const notes = noteLines(rows, publication.today, lateOrdersReader(db, publication.today));
        if (notes.length > 0) printLines(notes);
      }),
    );
}

/**
 * A row of the JSON outputs, with what the shelf life did to its quantity, on a flagged row with
 * nothing to order what covers its target date, the safety stock the suggestion leaves the stock
 * under, and the sales it leaves missed while the shelf waits for goods on order due later
 * (null: nothing to say).
 */
function withQuantityReasons(orderPolicy: string | null) {
  return <T extends AlertView>(row: T) => ({
    ...row,
    shelfLife: shelfLifeOutcome(row.quantityNotes, orderPolicy),
    emptySuggestion: emptySuggestion(row, orderPolicy),
    belowSafetyStock: safetyStockShortfall(row.quantityNotes, orderPolicy),
    missedWhileWaiting: missedWhileWaiting(row.quantityNotes, orderPolicy),
  });
}

type NotedRow = ReturnType<ReturnType<typeof withQuantityReasons>>;

/**
 * Below the table, as the Alerts page says them beside the quantity, one block per kind of note:
 * what the shelf life did to a row's order, why a critical row has none otherwise (either reads
 * as an oversight without it), the sales missed while the shelf waits for an order due after one
 * placed today would come, the deliveries already late, and the rows left under the shop's own
 * safety stock.
 */
function noteLines(
  rows: readonly NotedRow[],
  today: string,
  lateOrders: (row: NotedRow) => string[],
): string[] {
  return [
    ...noteBlock(rows, "Quantité suggérée et durée de conservation :", (r) =>
      r.shelfLife === null ? null : shelfLifeOutcomeText(r.shelfLife),
    ),
    ...noteBlock(rows, "Aucune quantité suggérée :", (r) =>
      r.emptySuggestion === null || r.targetDate === null
        ? null
        : emptySuggestionText(r.emptySuggestion, r.targetDate),
    ),
    ...noteBlock(rows, "Ventes manquées en attendant la commande en cours :", (r) =>
      r.missedWhileWaiting === null
        ? null
        : `${decimalComma(r.missedWhileWaiting.units, 1)} ${r.unit} à partir du ${r.missedWhileWaiting.from}, commande en cours attendue le ${r.missedWhileWaiting.until}`,
    ),
    // Counted as due today by the batch, as on the Alerts page: the supplier to call.
    ...noteBlock(rows, "Livraisons en retard :", (r) =>
      r.onOrder > 0 && r.nextDelivery !== null && r.nextDelivery < today
        ? `attendue le ${r.nextDelivery}, ${lateUnits(r.nextDeliveryQuantity ?? r.onOrder, r.onOrder)} en commande${orderNumbers(lateOrders(r))}`
        : null,
    ),
    ...noteBlock(rows, "Sous le stock de sécurité :", (r) =>
      r.belowSafetyStock === null
        ? null
        : `${decimalComma(r.belowSafetyStock, 2)}${r.targetDate ? ` d'ici le ${r.targetDate}` : ""}`,
    ),
  ];
}

/**
 * The numbers of a row's late orders, as the legacy base holds them now (the open orders are
 * read once, and only when a row is late): what the supplier is asked about.
 */
function lateOrdersReader(db: Db, todayIso: string): (row: AlertView) => string[] {
  let orders: Map<string, OpenOrderLine[]> | null = null;
  const today = dayFromIso(todayIso);
  return (row) => {
    orders ??= readOpenOrders(db);
    const lines = orders.get(seriesKey(row.articleId, row.storeId)) ?? [];
    const late = lines.filter((l) => isLate(l, today) && l.order !== undefined);
    return [...new Set(late.map((l) => l.order as string))];
  };
}

/** " (CMD-1, CMD-2)", or nothing. */
const orderNumbers = (orders: readonly string[]) =>
  orders.length === 0 ? "" : ` (${orders.join(", ")})`;

/** "24 sur 48": the units of the late delivery, of all those on order when there are more. */
function lateUnits(late: number, onOrder: number): string {
  return onOrder - late >= 0.005
    ? `${decimalComma(late, 2)} sur ${decimalComma(onOrder, 2)}`
    : decimalComma(onOrder, 2);
}

/** A heading and one line per row the note speaks of; nothing when it speaks of none. */
function noteBlock(
  rows: readonly NotedRow[],
  heading: string,
  note: (row: NotedRow) => string | null,
): string[] {
  const lines = rows.flatMap((r) => {
    const text = note(r);
    return text === null ? [] : [`  ${r.storeCode} ${r.reference} : ${text}`];
  });
  return lines.length === 0 ? [] : ["", heading, ...lines];
}

function registerCalc(alerts: Command, context: CliContext): void {
  alerts
    .command("calc")
    .alias("calcul")
    .description("suggested quantity for an article, a target date and a safety margin (%)")
    .argument("<article>", "article reference (articles.reference) or id")
    .argument("<date>", "target date YYYY-MM-DD", parseIsoDateOption)
    .argument("<margin>", "safety margin in %", (value: string) => {
      const n = Number(value);
      if (value.trim() === "" || !Number.isFinite(n))
        throw new CliError(`<margin>: expected a number of %, got "${value}"`, 2);
      return n;
    })
    .option("--store <code>", "one store (code or id; default: every store selling it)")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action(
      (reference: string, date: string, margin: number, options: Common & { store?: string }) =>
        withPublication(context, options.db, (db, publication) => {
          const articleId = resolveArticle(db, reference, "<article>");
          const storeId =
            options.store === undefined ? null : resolveStore(db, options.store, "--store");
          const results = calculateQuantities(
            db,
            publication,
            articleId,
            date,
            margin,
            readSettings(db),
            storeId,
          );
          // An article the batch did not assess (inactive, or not sold in that store).
          if (results.length === 0)
            throw new CliError(
              options.store === undefined
                ? `<article>: ${reference} has no alert in the published run`
                : `--store: ${reference} has no alert in store "${options.store}" in the published run`,
              2,
            );
          if (options.json) return printJson({ ...publicationMeta(publication), results });
          printLines(publicationHeader(publication));
          const pct = (p: number) => `${(p * 100).toFixed(1).replace(".", ",")} %`;
          for (const r of results)
            printLines([
              `${r.storeCode} ${r.reference} ${r.name} (classe ${r.abc ?? "?"}${r.xyz ?? ""})`,
              `  Quantité marge : ${r.quantity} — probabilité de ne pas manquer : ${pct(r.probability)}`,
              `    ${r.formula}`,
              // Each quantity's notes under it: the two are capped or raised apart.
              ...r.notes.map((n) => `    Note : ${quantityNoteText(n, r.unit)}`),
              `  Quantité niveau de service ${pct(r.service.level)} : ${r.service.quantity} — probabilité : ${pct(r.service.probability)}`,
              ...r.service.notes.map((n) => `    Note : ${quantityNoteText(n, r.unit)}`),
              deliveryText(r),
            ]);
        }),
    );
}

/** `--level` of `alerts export`, in the brief's words. */
const EXPORT_LEVELS: Record<string, string> = {
  critique: "CRITIQUE",
  attention: "ATTENTION",
  ok: "OK",
  sans_prevision: "SANS_PREVISION",
};

function registerExport(alerts: Command, context: CliContext): void {
  alerts
    .command("export")
    .description(
      "the alert list, most urgent first, as the Alerts page exports it: CSV for French spreadsheets (';', decimal comma, UTF-8 with BOM), or JSON",
    )
    .option("--level <level>", "critique, attention, ok or sans_prevision (default: every level)")
    .option("--store <code>", STORE_OPTION)
    .option("--category <name>", "one category (name or id)")
    .option("--supplier <name>", "one supplier (name or id)")
    .option("--format <format>", "csv or json", "csv")
    .option("--output <file>", "write to a file instead of stdout")
    .option("--db <path>", "database file")
    .action(async (options: ExportOptions) => {
      const level = exportLevel(options.level);
      requireCsvOrJson(options.format);
      // Checked before anything is read: a bad --output is an error, not a crash halfway.
      const file = options.output ? openOutputFile(options.output) : null;
      try {
        const text = withPublication(context, options.db, (db, publication) => {
          const rows = sortAlerts(
            readAlerts(db, publication.runId, {
              ...(level ? { level } : {}),
              ...storeFilter(db, options.store),
              ...exportFilters(db, options),
            }),
            "urgency",
          );
          const policy = publishedOrderPolicy(db, publication.runId);
          if (options.format === "json") {
            const alerts = rows.map(withQuantityReasons(policy));
            const meta = publicationMeta(publication);
            return `${JSON.stringify({ ...meta, orderPolicy: policy, alerts }, null, 2)}\n`;
          }
          // The CSV has no room for it: a stale or failed batch is said on stderr.
          for (const warning of publicationHeader(publication).slice(1))
            process.stderr.write(`${warning}\n`);
          return alertsCsv(rows, publication.today, policy);
        });
        if (!file) return void process.stdout.write(text);
        file.stream.write(text);
        await file.commit();
      } catch (error) {
        file?.abort();
        throw error;
      }
    });
}

interface ExportOptions extends Common {
  level?: string;
  store?: string;
  category?: string;
  supplier?: string;
  format: string;
  output?: string;
}

/** `--level` in the brief's words, as the alerts store it; none: every level. */
function exportLevel(option: string | undefined): string | undefined {
  if (option === undefined) return undefined;
  const level = EXPORT_LEVELS[option.toLowerCase()];
  if (level === undefined)
    throw new CliError(
      `--level: expected critique, attention, ok or sans_prevision, got "${option}"`,
      2,
    );
  return level;
}

/** The page's category and supplier filters, when given (an unknown one exits 2, naming it). */
function exportFilters(
  db: Db,
  options: ExportOptions,
): { categoryId?: number; supplierId?: number } {
  return {
    ...(options.category === undefined
      ? {}
      : { categoryId: resolveCategory(db, options.category, "--category") }),
    ...(options.supplier === undefined
      ? {}
      : { supplierId: resolveSupplier(db, options.supplier, "--supplier") }),
  };
}
