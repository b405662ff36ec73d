import { existsSync, renameSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import { legacySchemaStatements } from "../data/legacy/legacy-schema.js";
import { dayFromIso, isoFromDay } from "../domain/calendar/days.js";
import { BulkInserter } from "./bulk-insert.js";
import {
  type ArticleSpec,
  buildArticle,
  buildStores,
  buildSuppliers,
  CATEGORIES,
  round2,
  type StoreSpec,
} from "./catalog.js";
import {
  buildEvents,
  buildSeasonalProfile,
  buildStoreCalendar,
  type DemoPromotion,
  randomDiscount,
  randomPromotionWindow,
} from "./demo-calendar.js";
import { chance, createRng, deriveRng, integer, poisson, uniform } from "./random.js";
import { type OrderLine, type SeriesSink, simulateSeries } from "./simulate-series.js";

export interface DemoOptions {
  articles: number;
  stores: number;
  years: number;
  seed: number;
  /** The first day without history: data ends the day before. */
  today: string;
}

export const DEFAULT_DEMO_OPTIONS: Omit<DemoOptions, "today"> = {
  articles: 500,
  stores: 2,
  years: 3,
  seed: 42,
};

/**
 * Told the expected demand of every open day of every series as it is simulated (benchmarks
 * measure the noise floor with it: what a forecaster knowing the truth would score).
 */
export type DemandObserver = (
  article: ArticleSpec,
  storeId: number,
  day: number,
  lambda: number,
) => void;

export interface DemoProgress {
  done: number;
  total: number;
}

export interface DemoSummary {
  path: string;
  rows: Record<string, number>;
  firstDay: string;
  lastDay: string;
}

export class DemoOptionsError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`--${option}: ${message}`);
    this.name = "DemoOptionsError";
  }
}

export function validateDemoOptions(options: DemoOptions): void {
  const intIn = (name: keyof DemoOptions, min: number, max: number) => {
    const value = options[name] as number;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new DemoOptionsError(name, `expected an integer from ${min} to ${max}, got ${value}`);
    }
  };
  intIn("articles", 1, 100_000);
  intIn("stores", 1, 50);
  intIn("seed", 0, 2 ** 31 - 1);
  if (!Number.isFinite(options.years) || options.years < 0.25 || options.years > 10) {
    throw new DemoOptionsError(
      "years",
      `expected a number of years from 0.25 to 10, got ${options.years}`,
    );
  }
  try {
    dayFromIso(options.today);
  } catch {
    throw new DemoOptionsError("today", `expected a date YYYY-MM-DD, got "${options.today}"`);
  }
}

/**
 * Writes a realistic legacy database to `path`. Built in a temporary file and renamed at the
 * end, so that a failure or an interruption never leaves a half-written database behind.
 */
export function generateDemoDatabase(
  path: string,
  options: DemoOptions,
  onProgress: (progress: DemoProgress) => void = () => {},
  observeDemand?: DemandObserver,
): DemoSummary {
  validateDemoOptions(options);
  if (existsSync(path))
    throw new DemoOptionsError("db", `${path} already exists: remove it or choose another path`);
  const temporary = `${path}.tmp-${process.pid}`;
  rmSync(temporary, { force: true });
  const db = new Database(temporary);
  try {
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144");
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("foreign_keys = OFF");
    const schema = legacySchemaStatements();
    for (const statement of schema.tables) db.exec(statement);
    const summary = db.transaction(() => fillDatabase(db, options, onProgress, observeDemand))();
    for (const statement of schema.indexes) db.exec(statement);
    db.pragma("locking_mode = NORMAL");
    db.pragma("journal_mode = WAL");
    db.close();
    renameSync(temporary, path);
    return { path, ...summary };
  } catch (error) {
    if (db.open) db.close();
    rmSync(temporary, { force: true });
    throw error;
  }
}

function fillDatabase(
  db: Database.Database,
  options: DemoOptions,
  onProgress: (p: DemoProgress) => void,
  observeDemand: DemandObserver | undefined,
): Omit<DemoSummary, "path"> {
  const today = dayFromIso(options.today);
  const firstDay = today - Math.round(options.years * 365.25);
  const dayCount = today - firstDay;
  const rng = createRng(options.seed);
  const isoCache = new Map<number, string>();
  const iso = (day: number): string => {
    let text = isoCache.get(day);
    if (text === undefined) {
      text = isoFromDay(day);
      isoCache.set(day, text);
    }
    return text;
  };

  const stores = buildStores(options.stores, rng);
  const suppliers = buildSuppliers(rng);
  const events = buildEvents(firstDay, today - 1, stores, rng);

  insertReferenceTables(db, stores, suppliers, iso, events);
  const categoryIds = new Map(CATEGORIES.map((c, i) => [c.key, i + 3]));

  const articles: ArticleSpec[] = [];
  for (let id = 1; id <= options.articles; id++) {
    const category = CATEGORIES[(id - 1) % CATEGORIES.length]!;
    articles.push(
      buildArticle(
        id,
        deriveRng(options.seed, 2, id),
        category,
        categoryIds.get(category.key)!,
        suppliers,
        firstDay,
        today,
      ),
    );
  }
  const nullPriceArticle = articles[Math.min(2, articles.length - 1)]!;

  const promotions = buildPromotions(articles, stores, categoryIds, firstDay, today, options.seed);
  const priceSteps = new Map(articles.map((a) => [a.id, buildPriceSteps(a, today, options.seed)]));
  insertCatalog(db, articles, priceSteps, promotions, nullPriceArticle.id, iso);

  const seasonal = CATEGORIES.map((c) => buildSeasonalProfile(c, firstDay, dayCount));
  const calendars = stores.map((s) =>
    buildStoreCalendar(s, CATEGORIES, events, firstDay, dayCount),
  );
  const categoryDiscounts = stores.map((s) =>
    CATEGORIES.map((c) =>
      discountPath(
        promotions.filter((p) => p.categoryId === categoryIds.get(c.key)),
        s.id,
        firstDay,
        dayCount,
      ),
    ),
  );

  const promotionsByArticle = new Map<number, DemoPromotion[]>();
  for (const p of promotions) {
    if (p.articleId !== null)
      promotionsByArticle.set(p.articleId, [...(promotionsByArticle.get(p.articleId) ?? []), p]);
  }
  const writer = createLegacyWriter(db, today, iso);
  const history = new StockHistoryBuffer(db, firstDay, dayCount, stores.length, iso);
  const negativeStockArticle = articles[Math.min(4, articles.length - 1)]!;
  const total = articles.length * stores.length;
  let done = 0;
  for (const article of articles) {
    if (history.isFull()) history.flush();
    const categoryIndex = CATEGORIES.indexOf(article.category);
    const steps = priceSteps.get(article.id)!;
    const shelfPrice = pricePath(steps, "shelf", firstDay, dayCount);
    const purchasePrice = pricePath(steps, "purchase", firstDay, dayCount);
    const ownPromotions = promotionsByArticle.get(article.id) ?? [];
    for (const [s, store] of stores.entries()) {
      const calendar = calendars[s]!;
      simulateSeries(
        article,
        store,
        {
          seed: options.seed,
          firstDay,
          today,
          open: calendar.open,
          seasonal: seasonal[categoryIndex]!,
          eventFactor: calendar.factor[categoryIndex]!,
          categoryDiscount: categoryDiscounts[s]![categoryIndex]!,
          articleDiscount: discountPath(ownPromotions, store.id, firstDay, dayCount),
          shelfPrice,
          purchasePrice,
          referencePrice: steps[0]!.shelf,
          forceNegativeEndStock: article === negativeStockArticle && s === 0,
          observeDemand:
            observeDemand && ((day, lambda) => observeDemand(article, store.id, day, lambda)),
        },
        writer.sinkFor(article.id, store.id, history.slotFor(article.id, store.id)),
      );
      done++;
      if (done % 10 === 0 || done === total) onProgress({ done, total });
    }
  }
  // An orphan reference, as real bases have: a sale of an article that no longer exists.
  writer.orphanSale(articles.length + 1000, stores[0]!.id, today - 1);
  history.flush();
  const rows = { ...writer.finish(), stocks_historique: history.rows };
  return { rows, firstDay: iso(firstDay), lastDay: iso(today - 1) };
}

function insertReferenceTables(
  db: Database.Database,
  stores: readonly StoreSpec[],
  suppliers: ReturnType<typeof buildSuppliers>,
  iso: (day: number) => string,
  events: ReturnType<typeof buildEvents>,
): void {
  const store = db.prepare(
    "INSERT INTO magasins (id, code, nom, ville, jours_ouverture, actif) VALUES (?, ?, ?, ?, ?, 1)",
  );
  for (const s of stores) store.run(s.id, s.code, s.name, s.city, s.openingMask);
  const category = db.prepare("INSERT INTO categories (id, nom, parent_id) VALUES (?, ?, ?)");
  category.run(1, "Alimentaire", null);
  category.run(2, "Non alimentaire", null);
  for (const [i, c] of CATEGORIES.entries())
    category.run(i + 3, c.name, c.parent === "Alimentaire" ? 1 : 2);
  const supplier = db.prepare(
    "INSERT INTO fournisseurs (id, nom, email, telephone, delai_livraison_jours, jours_commande, franco_eur, actif) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
  );
  for (const s of suppliers) {
    const slug = s.name
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z]+/g, "");
    supplier.run(
      s.id,
      s.name,
      `commandes@${slug}.example`,
      `04 7${s.id % 10} 00 00 ${String(s.id).padStart(2, "0")}`,
      s.leadTimeDays,
      s.orderMask,
      s.francoEur,
    );
  }
  const event = db.prepare(
    "INSERT INTO evenements (nom, type, date_debut, date_fin, magasin_id) VALUES (?, ?, ?, ?, ?)",
  );
  for (const e of events) event.run(e.name, e.type, iso(e.startDay), iso(e.endDay), e.storeId);
  const setting = db.prepare("INSERT INTO parametres (cle, valeur) VALUES (?, ?)");
  for (const [key, value] of [
    ["enseigne", "Optiflow Market (démo)"],
    ["devise", "EUR"],
    ["logiciel_caisse", "GestCom 4.2"],
    ["stock_securite_jours", "2"],
  ]) {
    setting.run(key, value);
  }
}

interface PriceStep {
  startDay: number;
  shelf: number;
  purchase: number;
}

function buildPriceSteps(article: ArticleSpec, today: number, seed: number): PriceStep[] {
  const rng = deriveRng(seed, 3, article.id);
  const steps: PriceStep[] = [];
  let ratio = 1 / (1 + ((today - article.startDay) / 365) * 0.03); // prices rose to today's level
  let day = article.startDay;
  while (day < today) {
    steps.push({
      startDay: day,
      shelf: round2(article.shelfPrice * ratio),
      purchase: round2(article.purchasePrice * ratio),
    });
    day += integer(rng, 200, 450);
    ratio *= chance(rng, 0.15) ? uniform(rng, 0.9, 0.97) : uniform(rng, 1.01, 1.08);
  }
  return steps;
}

function pricePath(
  steps: readonly PriceStep[],
  kind: "shelf" | "purchase",
  firstDay: number,
  dayCount: number,
): Float32Array {
  const path = new Float32Array(dayCount);
  let s = 0;
  for (let i = 0; i < dayCount; i++) {
    while (s + 1 < steps.length && steps[s + 1]!.startDay <= firstDay + i) s++;
    const step = steps[s]!;
    path[i] = kind === "shelf" ? step.shelf : step.purchase;
  }
  return path;
}

function buildPromotions(
  articles: readonly ArticleSpec[],
  stores: readonly StoreSpec[],
  categoryIds: Map<string, number>,
  firstDay: number,
  today: number,
  seed: number,
): DemoPromotion[] {
  const promotions: DemoPromotion[] = [];
  const years = (today - firstDay) / 365;
  for (const article of articles) {
    const rng = deriveRng(seed, 4, article.id);
    const perYear =
      article.velocity === "slow" ? 0.4 : article.category.parent === "Alimentaire" ? 2 : 1;
    const count = poisson(rng, perYear * years);
    for (let k = 0; k < count; k++) {
      const window = randomPromotionWindow(rng, Math.max(firstDay, article.startDay), today);
      const discountPct = randomDiscount(rng);
      promotions.push({
        label: `${discountPct}% sur ${article.name}`,
        articleId: article.id,
        categoryId: null,
        storeId:
          stores.length > 1 && chance(rng, 0.3)
            ? stores[integer(rng, 0, stores.length - 1)]!.id
            : null,
        ...window,
        discountPct,
      });
    }
  }
  const rng = deriveRng(seed, 5);
  for (const [key, categoryId] of categoryIds) {
    for (let k = 0; k < Math.round(2 * years); k++) {
      const window = randomPromotionWindow(rng, firstDay, today);
      promotions.push({
        label: `Quinzaine ${key}`,
        articleId: null,
        categoryId,
        storeId: null,
        ...window,
        discountPct: integer(rng, 2, 4) * 5,
      });
    }
  }
  return promotions.sort((a, b) => a.startDay - b.startDay);
}

function discountPath(
  promotions: readonly DemoPromotion[],
  storeId: number,
  firstDay: number,
  dayCount: number,
): Float32Array {
  const path = new Float32Array(dayCount);
  for (const p of promotions) {
    if (p.storeId !== null && p.storeId !== storeId) continue;
    for (
      let day = Math.max(p.startDay, firstDay);
      day <= p.endDay && day - firstDay < dayCount;
      day++
    ) {
      const i = day - firstDay;
      path[i] = Math.max(path[i]!, p.discountPct);
    }
  }
  return path;
}

function insertCatalog(
  db: Database.Database,
  articles: readonly ArticleSpec[],
  priceSteps: Map<number, PriceStep[]>,
  promotions: readonly DemoPromotion[],
  nullPriceArticleId: number,
  iso: (day: number) => string,
): void {
  const article = db.prepare(
    `INSERT INTO articles (id, reference, ean, nom, categorie_id, fournisseur_id, unite, prix_achat, prix_vente, taux_tva,
       colisage, minimum_commande, delai_livraison_jours, duree_conservation_jours, stock_securite, actif, date_creation)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const price = db.prepare(
    "INSERT INTO prix_historique (article_id, date_debut, prix_vente, prix_achat) VALUES (?, ?, ?, ?)",
  );
  for (const a of articles) {
    const steps = priceSteps.get(a.id)!;
    const last = steps[steps.length - 1]!;
    const nullPrice = a.id === nullPriceArticleId; // a dirty row: purchase price never keyed in
    article.run(
      a.id,
      a.reference,
      a.ean,
      a.name,
      a.categoryId,
      a.supplier.id,
      a.unit,
      nullPrice ? null : last.purchase,
      last.shelf,
      a.category.vatRate,
      a.packSize,
      a.minimumOrder,
      a.leadTimeOverride,
      a.shelfLifeDays,
      a.legacySafetyStock,
      a.endDay === null ? 1 : 0,
      iso(a.startDay),
    );
    for (const step of steps)
      price.run(a.id, iso(step.startDay), step.shelf, nullPrice ? null : step.purchase);
  }
  const promotion = db.prepare(
    "INSERT INTO promotions (libelle, article_id, categorie_id, magasin_id, date_debut, date_fin, remise_pct) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  for (const p of promotions)
    promotion.run(
      p.label,
      p.articleId,
      p.categoryId,
      p.storeId,
      iso(p.startDay),
      iso(p.endDay),
      p.discountPct,
    );
}

interface OrderRecord {
  id: number;
  numero: string;
  receptions: Map<number, number>;
}

/** The sink that turns simulated series into legacy rows, grouping order lines into orders. */
function createLegacyWriter(db: Database.Database, today: number, iso: (day: number) => string) {
  const sales = new BulkInserter(db, "ventes", [
    "date",
    "magasin_id",
    "article_id",
    "quantite",
    "chiffre_affaires",
    "prix_moyen",
  ]);
  const movements = new BulkInserter(db, "mouvements_stock", [
    "date",
    "article_id",
    "magasin_id",
    "type",
    "quantite",
    "reference",
  ]);
  const ruptures = new BulkInserter(
    db,
    "ruptures",
    ["article_id", "magasin_id", "date_debut", "date_fin"],
    64,
  );
  const counts = new BulkInserter(
    db,
    "inventaires",
    ["date", "article_id", "magasin_id", "quantite_theorique", "quantite_comptee"],
    64,
  );
  const orderLines = new BulkInserter(db, "lignes_commande", [
    "commande_id",
    "article_id",
    "quantite",
    "prix_unitaire",
  ]);
  const receptionLines = new BulkInserter(db, "lignes_reception", [
    "reception_id",
    "article_id",
    "quantite",
  ]);
  const stocks = new BulkInserter(db, "stocks", [
    "article_id",
    "magasin_id",
    "quantite",
    "date_maj",
  ]);
  const insertOrder = db.prepare(
    "INSERT INTO commandes (id, numero, fournisseur_id, magasin_id, date_commande, date_livraison_prevue, statut) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const insertReception = db.prepare(
    "INSERT INTO receptions (id, commande_id, magasin_id, date_reception) VALUES (?, ?, ?, ?)",
  );
  const orders = new Map<string, OrderRecord>();
  let nextReceptionId = 1;

  const orderFor = (line: OrderLine): OrderRecord => {
    const key = `${line.supplierId}-${line.storeId}-${line.orderDay}`;
    let order = orders.get(key);
    if (!order) {
      const id = orders.size + 1;
      const numero = `CMD-${iso(line.orderDay).replaceAll("-", "")}-${String(line.storeId).padStart(2, "0")}-${String(line.supplierId).padStart(3, "0")}`;
      insertOrder.run(
        id,
        numero,
        line.supplierId,
        line.storeId,
        iso(line.orderDay),
        iso(line.expectedDay),
        orderStatus(line, today),
      );
      order = { id, numero, receptions: new Map() };
      orders.set(key, order);
    }
    return order;
  };

  return {
    sinkFor(
      articleId: number,
      storeId: number,
      history: (day: number, quantity: number) => void,
    ): SeriesSink {
      return {
        sale: (day, quantity, revenue, price) =>
          sales.add(iso(day), storeId, articleId, quantity, revenue, price),
        movement: (day, type, quantity, reference) =>
          movements.add(iso(day), articleId, storeId, type, quantity, reference),
        endOfDayStock: history,
        rupture: (start, end) =>
          ruptures.add(articleId, storeId, iso(start), end === null ? null : iso(end)),
        inventory: (day, theoretical, counted) =>
          counts.add(iso(day), articleId, storeId, theoretical, counted),
        finalStock: (quantity, day) =>
          stocks.add(articleId, storeId, quantity, `${iso(day)} 21:00:00`),
        orderLine: (line) => {
          const order = orderFor(line);
          orderLines.add(order.id, line.articleId, line.quantity, line.unitPrice);
          if (line.arrivalDay !== null && line.arrivalDay < today && line.receivedQuantity > 0) {
            let receptionId = order.receptions.get(line.arrivalDay);
            if (receptionId === undefined) {
              receptionId = nextReceptionId++;
              insertReception.run(receptionId, order.id, line.storeId, iso(line.arrivalDay));
              order.receptions.set(line.arrivalDay, receptionId);
            }
            receptionLines.add(receptionId, line.articleId, line.receivedQuantity);
          }
          return order.numero;
        },
      };
    },
    orphanSale(articleId: number, storeId: number, day: number): void {
      sales.add(iso(day), storeId, articleId, 2, 5.0, 2.5);
    },
    finish(): Record<string, number> {
      for (const inserter of [
        sales,
        movements,
        ruptures,
        counts,
        orderLines,
        receptionLines,
        stocks,
      ])
        inserter.flush();
      return {
        ventes: sales.rows,
        mouvements_stock: movements.rows,
        ruptures: ruptures.rows,
        inventaires: counts.rows,
        commandes: orders.size,
        lignes_commande: orderLines.rows,
        receptions: nextReceptionId - 1,
        lignes_reception: receptionLines.rows,
        stocks: stocks.rows,
      };
    },
  };
}

function orderStatus(line: OrderLine, today: number): string {
  if (line.fate.cancelled) return line.expectedDay < today ? "ANNULEE" : "ENVOYEE";
  if (line.arrivalDay === null || line.arrivalDay >= today) return "ENVOYEE";
  if (line.fate.deliveredShare < 1) return line.arrivalDay >= today - 7 ? "PARTIELLE" : "LIVREE";
  return "LIVREE";
}

/**
 * End-of-day stocks are buffered for a chunk of series and written date by date: the table's
 * primary key starts with the date, and inserting in key order is several times faster than
 * the article-by-article order in which series are simulated.
 */
class StockHistoryBuffer {
  private static readonly SERIES_PER_CHUNK = 4096;
  private readonly values: Float64Array;
  private readonly capacity: number;
  private readonly keys: { articleId: number; storeId: number }[] = [];
  private readonly inserter: BulkInserter;
  private readonly storeCount: number;
  rows = 0;

  constructor(
    db: Database.Database,
    private readonly firstDay: number,
    private readonly dayCount: number,
    storeCount: number,
    private readonly iso: (day: number) => string,
  ) {
    this.capacity = Math.max(StockHistoryBuffer.SERIES_PER_CHUNK, storeCount);
    this.values = new Float64Array(this.capacity * dayCount).fill(Number.NaN);
    this.storeCount = storeCount;
    this.inserter = new BulkInserter(db, "stocks_historique", [
      "date",
      "article_id",
      "magasin_id",
      "quantite",
    ]);
  }

  isFull(): boolean {
    // Room is kept for every store of the next article.
    return this.keys.length + this.storeCount > this.capacity;
  }

  slotFor(articleId: number, storeId: number): (day: number, quantity: number) => void {
    const offset = this.keys.length * this.dayCount;
    this.keys.push({ articleId, storeId });
    return (day, quantity) => {
      this.values[offset + day - this.firstDay] = quantity;
    };
  }

  flush(): void {
    for (let d = 0; d < this.dayCount; d++) {
      const date = this.iso(this.firstDay + d);
      for (let k = 0; k < this.keys.length; k++) {
        const value = this.values[k * this.dayCount + d]!;
        if (Number.isNaN(value)) continue;
        const key = this.keys[k]!;
        this.inserter.add(date, key.articleId, key.storeId, value);
      }
    }
    this.inserter.flush();
    this.rows = this.inserter.rows;
    this.keys.length = 0;
    this.values.fill(Number.NaN);
  }
}
