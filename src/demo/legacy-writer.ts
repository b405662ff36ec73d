import type Database from "better-sqlite3";
import type { Db } from "../data/open.js";
import { BulkInserter } from "./bulk-insert.js";
import type { OrderLine, SeriesSink } from "./simulate-series.js";

interface OrderRecord {
  id: number;
  numero: string;
  receptions: Map<number, number>;
}

type Statement = Database.Statement<unknown[]>;

/** The sink that turns simulated series into legacy rows, grouping order lines into orders. */
export class LegacyWriter {
  private readonly sales: BulkInserter;
  private readonly movements: BulkInserter;
  private readonly ruptures: BulkInserter;
  private readonly counts: BulkInserter;
  private readonly orderLines: BulkInserter;
  private readonly receptionLines: BulkInserter;
  private readonly stocks: BulkInserter;
  private readonly insertOrder: Statement;
  private readonly insertReception: Statement;
  private readonly orders = new Map<string, OrderRecord>();
  private nextReceptionId = 1;

  constructor(
    db: Db,
    private readonly today: number,
    private readonly iso: (day: number) => string,
  ) {
    this.sales = new BulkInserter(db, "ventes", [
      "date",
      "magasin_id",
      "article_id",
      "quantite",
      "chiffre_affaires",
      "prix_moyen",
    ]);
    this.movements = new BulkInserter(db, "mouvements_stock", [
      "date",
      "article_id",
      "magasin_id",
      "type",
      "quantite",
      "reference",
    ]);
    this.ruptures = new BulkInserter(
      db,
      "ruptures",
      ["article_id", "magasin_id", "date_debut", "date_fin"],
      64,
    );
    this.counts = new BulkInserter(
      db,
      "inventaires",
      ["date", "article_id", "magasin_id", "quantite_theorique", "quantite_comptee"],
      64,
    );
    this.orderLines = new BulkInserter(db, "lignes_commande", [
      "commande_id",
      "article_id",
      "quantite",
      "prix_unitaire",
    ]);
    this.receptionLines = new BulkInserter(db, "lignes_reception", [
      "reception_id",
      "article_id",
      "quantite",
    ]);
    this.stocks = new BulkInserter(db, "stocks", [
      "article_id",
      "magasin_id",
      "quantite",
      "date_maj",
    ]);
    this.insertOrder = db.prepare(
      "INSERT INTO commandes (id, numero, fournisseur_id, magasin_id, date_commande, date_livraison_prevue, statut) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.insertReception = db.prepare(
      "INSERT INTO receptions (id, commande_id, magasin_id, date_reception) VALUES (?, ?, ?, ?)",
    );
  }

  sinkFor(
    articleId: number,
    storeId: number,
    history: (day: number, quantity: number) => void,
  ): SeriesSink {
    const iso = this.iso;
    return {
      sale: (day, quantity, revenue, price) =>
        this.sales.add(iso(day), storeId, articleId, quantity, revenue, price),
      movement: (day, type, quantity, reference) =>
        this.movements.add(iso(day), articleId, storeId, type, quantity, reference),
      endOfDayStock: history,
      rupture: (start, end) =>
        this.ruptures.add(articleId, storeId, iso(start), end === null ? null : iso(end)),
      inventory: (day, theoretical, counted) =>
        this.counts.add(iso(day), articleId, storeId, theoretical, counted),
      finalStock: (quantity, day) =>
        this.stocks.add(articleId, storeId, quantity, `${iso(day)} 21:00:00`),
      orderLine: (line) => this.orderLine(line),
    };
  }

  /** An orphan reference, as real bases have: a sale of an article that no longer exists. */
  orphanSale(articleId: number, storeId: number, day: number): void {
    this.sales.add(this.iso(day), storeId, articleId, 2, 5.0, 2.5);
  }

  /** Writes what is still buffered; the rows written per table. */
  finish(): Record<string, number> {
    for (const inserter of [
      this.sales,
      this.movements,
      this.ruptures,
      this.counts,
      this.orderLines,
      this.receptionLines,
      this.stocks,
    ])
      inserter.flush();
    return {
      ventes: this.sales.rows,
      mouvements_stock: this.movements.rows,
      ruptures: this.ruptures.rows,
      inventaires: this.counts.rows,
      commandes: this.orders.size,
      lignes_commande: this.orderLines.rows,
      receptions: this.nextReceptionId - 1,
      lignes_reception: this.receptionLines.rows,
      stocks: this.stocks.rows,
    };
  }

  /** Writes the line into its order (and its reception, once delivered); the order's number. */
  private orderLine(line: OrderLine): string {
    const order = this.orderFor(line);
    this.orderLines.add(order.id, line.articleId, line.quantity, line.unitPrice);
    if (line.arrivalDay !== null && line.arrivalDay < this.today && line.receivedQuantity > 0) {
      const receptionId = this.receptionFor(order, line.storeId, line.arrivalDay);
      this.receptionLines.add(receptionId, line.articleId, line.receivedQuantity);
    }
    return order.numero;
  }

  /** One order per supplier, store and day: the lines of one delivery share it. */
  private orderFor(line: OrderLine): OrderRecord {
    const key = `${line.supplierId}-${line.storeId}-${line.orderDay}`;
    let order = this.orders.get(key);
    if (!order) {
      const id = this.orders.size + 1;
      const numero = `CMD-${this.iso(line.orderDay).replaceAll("-", "")}-${String(line.storeId).padStart(2, "0")}-${String(line.supplierId).padStart(3, "0")}`;
      this.insertOrder.run(
        id,
        numero,
        line.supplierId,
        line.storeId,
        this.iso(line.orderDay),
        this.iso(line.expectedDay),
        orderStatus(line, this.today),
      );
      order = { id, numero, receptions: new Map() };
      this.orders.set(key, order);
    }
    return order;
  }

  private receptionFor(order: OrderRecord, storeId: number, day: number): number {
    let receptionId = order.receptions.get(day);
    if (receptionId === undefined) {
      receptionId = this.nextReceptionId++;
      this.insertReception.run(receptionId, order.id, storeId, this.iso(day));
      order.receptions.set(day, receptionId);
    }
    return receptionId;
  }
}

function orderStatus(line: OrderLine, today: number): string {
  if (line.fate.cancelled) return line.expectedDay < today ? "ANNULEE" : "ENVOYEE";
  if (line.arrivalDay === null || line.arrivalDay >= today) return "ENVOYEE";
  if (line.fate.deliveredShare < 1) return line.arrivalDay >= today - 7 ? "PARTIELLE" : "LIVREE";
  return "LIVREE";
}
