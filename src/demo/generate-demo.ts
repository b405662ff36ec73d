import { existsSync, renameSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import { legacySchemaStatements } from "../data/legacy/legacy-schema.js";
import { dayFromIso, isoFromDay } from "../domain/calendar/days.js";
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
import { LegacyWriter } from "./legacy-writer.js";
import { chance, createRng, deriveRng, integer, poisson, uniform } from "./random.js";
import { simulateSeries } from "./simulate-series.js";
import { StockHistoryBuffer } from "./stock-history-buffer.js";

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
  const iso = cachedIso();
  const rng = createRng(options.seed);
  const stores = buildStores(options.stores, rng);
  const suppliers = buildSuppliers(rng);
  const events = buildEvents(firstDay, today - 1, stores, rng);
  insertReferenceTables(db, stores, suppliers, iso, events);

  const categoryIds = new Map(CATEGORIES.map((c, i) => [c.key, i + 3]));
  const articles = buildArticles(options, categoryIds, suppliers, firstDay, today);
  const nullPriceArticle = articles[Math.min(2, articles.length - 1)]!;
  const promotions = buildPromotions(articles, stores, categoryIds, firstDay, today, options.seed);
  const priceSteps = new Map(articles.map((a) => [a.id, buildPriceSteps(a, today, options.seed)]));
  insertCatalog(db, articles, priceSteps, promotions, nullPriceArticle.id, iso);

  const world: DemoWorld = {
    seed: options.seed,
    firstDay,
    today,
    stores,
    events,
    categoryIds,
    promotions,
    priceSteps,
  };
  const writer = new LegacyWriter(db, today, iso);
  const history = new StockHistoryBuffer(db, firstDay, today - firstDay, stores.length, iso);
  simulateEverySeries(world, articles, { writer, history, onProgress, observeDemand });
  writer.orphanSale(articles.length + 1000, stores[0]!.id, today - 1);
  history.flush();
  const rows = { ...writer.finish(), stocks_historique: history.rows };
  return { rows, firstDay: iso(firstDay), lastDay: iso(today - 1) };
}

/** ISO dates by day number, each formatted once: millions of rows share a thousand dates. */
function cachedIso(): (day: number) => string {
  const cache = new Map<number, string>();
  return (day) => {
    let text = cache.get(day);
    if (text === undefined) {
      text = isoFromDay(day);
      cache.set(day, text);
    }
    return text;
  };
}

function buildArticles(
  options: DemoOptions,
  categoryIds: ReadonlyMap<string, number>,
  suppliers: ReturnType<typeof buildSuppliers>,
  firstDay: number,
  today: number,
): ArticleSpec[] {
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
  return articles;
}

/** What every series of the base shares: its days, stores, events, promotions and prices. */
interface DemoWorld {
  seed: number;
  firstDay: number;
  today: number;
  stores: StoreSpec[];
  events: ReturnType<typeof buildEvents>;
  categoryIds: ReadonlyMap<string, number>;
  promotions: DemoPromotion[];
  priceSteps: ReadonlyMap<number, PriceStep[]>;
}

interface SeriesOutput {
  writer: LegacyWriter;
  history: StockHistoryBuffer;
  onProgress: (p: DemoProgress) => void;
  observeDemand: DemandObserver | undefined;
}

/** Simulates every article in every store, in article order, writing as it goes. */
function simulateEverySeries(
  world: DemoWorld,
  articles: readonly ArticleSpec[],
  output: SeriesOutput,
): void {
  const { seed, firstDay, today, stores } = world;
  const dayCount = today - firstDay;
  const seasonal = CATEGORIES.map((c) => buildSeasonalProfile(c, firstDay, dayCount));
  const calendars = stores.map((s) =>
    buildStoreCalendar(s, CATEGORIES, world.events, firstDay, dayCount),
  );
  const categoryDiscounts = stores.map((s) =>
    CATEGORIES.map((c) =>
      discountPath(
        world.promotions.filter((p) => p.categoryId === world.categoryIds.get(c.key)),
        s.id,
        firstDay,
        dayCount,
      ),
    ),
  );
  const promotionsByArticle = new Map<number, DemoPromotion[]>();
  for (const p of world.promotions) {
    if (p.articleId !== null)
      promotionsByArticle.set(p.articleId, [...(promotionsByArticle.get(p.articleId) ?? []), p]);
  }
  const { writer, history, observeDemand } = output;
  const negativeStockArticle = articles[Math.min(4, articles.length - 1)]!;
  const total = articles.length * stores.length;
  let done = 0;
  for (const article of articles) {
    if (history.isFull()) history.flush();
    const categoryIndex = CATEGORIES.indexOf(article.category);
    const steps = world.priceSteps.get(article.id)!;
    const shelfPrice = pricePath(steps, "shelf", firstDay, dayCount);
    const purchasePrice = pricePath(steps, "purchase", firstDay, dayCount);
    const ownPromotions = promotionsByArticle.get(article.id) ?? [];
    for (const [s, store] of stores.entries()) {
      const calendar = calendars[s]!;
      simulateSeries(
        article,
        store,
        {
          seed,
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
      if (done % 10 === 0 || done === total) output.onProgress({ done, total });
    }
  }
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
