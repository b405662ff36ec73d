import type { Command } from "commander";
import { calculateQuantities } from "../../app/quantity-calculation.js";
import { findArticleByReference, readAlerts } from "../../data/optiflow/published-results.js";
import { readSetting } from "../../data/optiflow/results-repository.js";
import type { CliContext } from "../cli-context.js";
import { CliError, parseIsoDateOption } from "../cli-error.js";
import { printJson, printLines, printTable } from "../output.js";
import { publicationHeader, publicationMeta, withPublication } from "../published.js";

interface Common {
  db?: string;
  json?: boolean;
}

export function registerAlertsCommands(program: Command, context: CliContext): void {
  const alerts = program.command("alerts").description("stock alerts of the last published batch");

  alerts
    .command("status")
    .description("alert counts by level: Critique, Attention, OK, no forecast")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: Common) =>
      withPublication(context, options.db, (db, publication) => {
        const rows = readAlerts(db, publication.runId);
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

  alerts
    .command("critical")
    .description("the critical articles: they run out before a delivery could arrive")
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((options: Common) =>
      withPublication(context, options.db, (db, publication) => {
        const rows = readAlerts(db, publication.runId, { level: "CRITIQUE" });
        if (options.json) return printJson({ ...publicationMeta(publication), alerts: rows });
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
            order: r.suggestedQty ?? "",
            order_by: r.orderBy ?? "",
          })),
        );
      }),
    );

  alerts
    .command("calc")
    .description("suggested quantity for an article, a target date and a safety margin (%)")
    .argument("<article>", "article reference (articles.reference)")
    .argument("<date>", "target date YYYY-MM-DD", parseIsoDateOption)
    .argument("<margin>", "safety margin in %", (value: string) => {
      const n = Number(value);
      if (value.trim() === "" || !Number.isFinite(n))
        throw new CliError(`<margin>: expected a number of %, got "${value}"`, 2);
      return n;
    })
    .option("--db <path>", "database file")
    .option("--json", "print as JSON")
    .action((reference: string, date: string, margin: number, options: Common) =>
      withPublication(context, options.db, (db, publication) => {
        const article = findArticleByReference(db, reference);
        if (!article) throw new CliError(`<article>: no article with reference "${reference}"`, 2);
        const countOpenOrders = (readSetting(db, "count_open_orders") ?? "true") !== "false";
        const results = calculateQuantities(
          db,
          publication,
          article.id,
          date,
          margin,
          countOpenOrders,
        );
        if (options.json) return printJson({ ...publicationMeta(publication), results });
        printLines(publicationHeader(publication));
        for (const r of results)
          printLines([`${r.storeCode} ${r.reference} ${r.name}: ${r.quantity}`, `  ${r.formula}`]);
      }),
    );
}
