import { chance, integer, normal, pick, type Rng, uniform } from "./random.js";

/**
 * The demo retailer: categories with distinct demand profiles, their suppliers, the stores.
 * Figures are plausible for a French neighbourhood supermarket, not taken from any real one.
 */
export interface CategoryProfile {
  key: string;
  name: string;
  parent: "Alimentaire" | "Non alimentaire";
  /** Monday..Sunday multipliers (mean about 1). */
  weekly: readonly number[];
  /** Seasonal bumps on the day of year: [centre day, width in days, height above 1]. */
  yearlyBumps: ReadonlyArray<readonly [number, number, number]>;
  names: readonly string[];
  vatRate: number;
  purchasePrice: readonly [number, number];
  shelfLifeDays: readonly [number, number] | null;
  kgShare: number;
  /** Share of fast / medium movers; the rest are slow, intermittent movers. */
  velocity: readonly [number, number];
  /** Multipliers by legacy event type (demand on those days). */
  eventEffects: Readonly<Record<string, number>>;
  /** Reaction to a promotion: uplift = exp(promoElasticity × discount). */
  promoElasticity: readonly [number, number];
}

const FOOD_WEEK = [0.85, 0.85, 0.95, 0.95, 1.15, 1.45, 0.8];
const NONFOOD_WEEK = [0.8, 0.85, 1.0, 0.9, 1.05, 1.6, 0.8];

export const CATEGORIES: readonly CategoryProfile[] = [
  {
    key: "fresh",
    name: "Fruits et légumes",
    parent: "Alimentaire",
    weekly: [0.9, 0.85, 1.0, 0.95, 1.15, 1.4, 0.75],
    yearlyBumps: [[190, 45, 0.25]],
    names: [
      "Pommes Gala",
      "Bananes",
      "Tomates grappe",
      "Carottes",
      "Courgettes",
      "Salade batavia",
      "Fraises",
      "Oranges",
      "Poires Conférence",
      "Pommes de terre",
      "Oignons jaunes",
      "Clémentines",
      "Melon charentais",
      "Pêches jaunes",
      "Avocats",
    ],
    vatRate: 5.5,
    purchasePrice: [0.6, 3.5],
    shelfLifeDays: [4, 12],
    kgShare: 0.5,
    velocity: [0.35, 0.45],
    eventEffects: { FERIE: 0.75, VACANCES_SCOLAIRES: 0.95, METEO: 1.15, LOCAL: 1.3 },
    promoElasticity: [1.5, 3],
  },
  {
    key: "dairy",
    name: "Crèmerie",
    parent: "Alimentaire",
    weekly: FOOD_WEEK,
    yearlyBumps: [[352, 10, 0.8]],
    names: [
      "Yaourt nature x8",
      "Lait demi-écrémé 1L",
      "Beurre doux 250g",
      "Camembert",
      "Comté 200g",
      "Crème fraîche 20cl",
      "Fromage blanc",
      "Œufs x12",
      "Emmental râpé",
      "Mozzarella",
    ],
    vatRate: 5.5,
    purchasePrice: [0.7, 4.5],
    shelfLifeDays: [10, 40],
    kgShare: 0,
    velocity: [0.3, 0.45],
    eventEffects: { FERIE: 0.8, VACANCES_SCOLAIRES: 0.95, LOCAL: 1.3 },
    promoElasticity: [1.5, 3.5],
  },
  {
    key: "grocery",
    name: "Épicerie",
    parent: "Alimentaire",
    weekly: FOOD_WEEK,
    yearlyBumps: [[355, 12, 0.35]],
    names: [
      "Pâtes coquillettes 500g",
      "Riz basmati 1kg",
      "Huile d'olive 1L",
      "Café moulu 250g",
      "Chocolat noir",
      "Biscuits sablés",
      "Confiture fraise",
      "Conserve thon",
      "Farine T55",
      "Sucre en poudre",
      "Céréales muesli",
      "Sauce tomate",
      "Chips nature",
    ],
    vatRate: 5.5,
    purchasePrice: [0.5, 6],
    shelfLifeDays: null,
    kgShare: 0,
    velocity: [0.2, 0.45],
    eventEffects: { FERIE: 0.8, VACANCES_SCOLAIRES: 0.95, SPORT: 1.25, LOCAL: 1.3 },
    promoElasticity: [2, 4.5],
  },
  {
    key: "beverages",
    name: "Boissons",
    parent: "Alimentaire",
    weekly: [0.8, 0.8, 0.9, 0.95, 1.2, 1.6, 0.75],
    yearlyBumps: [
      [200, 35, 0.9],
      [358, 8, 0.6],
    ],
    names: [
      "Eau minérale 6x1,5L",
      "Jus d'orange 1L",
      "Soda cola 1,5L",
      "Bière blonde 6x25cl",
      "Limonade",
      "Thé glacé",
      "Vin rouge AOP",
      "Champagne brut",
      "Sirop de menthe",
      "Eau gazeuse",
    ],
    vatRate: 20,
    purchasePrice: [0.4, 18],
    shelfLifeDays: null,
    kgShare: 0,
    velocity: [0.25, 0.45],
    eventEffects: { FERIE: 0.85, METEO: 1.7, SPORT: 1.6, LOCAL: 1.4 },
    promoElasticity: [2, 4],
  },
  {
    key: "frozen",
    name: "Surgelés",
    parent: "Alimentaire",
    weekly: FOOD_WEEK,
    yearlyBumps: [[195, 30, 1.0]],
    names: [
      "Glace vanille 1L",
      "Bâtonnets glacés x6",
      "Pizza surgelée",
      "Haricots verts surgelés",
      "Poisson pané",
      "Frites surgelées",
      "Sorbet citron",
    ],
    vatRate: 5.5,
    purchasePrice: [1, 5],
    shelfLifeDays: null,
    kgShare: 0,
    velocity: [0.15, 0.45],
    eventEffects: { FERIE: 0.8, METEO: 1.6, LOCAL: 1.2 },
    promoElasticity: [2, 4],
  },
  {
    key: "hygiene",
    name: "Hygiène-beauté",
    parent: "Non alimentaire",
    weekly: NONFOOD_WEEK,
    yearlyBumps: [[185, 30, 0.3]],
    names: [
      "Shampooing",
      "Gel douche",
      "Dentifrice",
      "Crème solaire SPF50",
      "Déodorant",
      "Savon liquide",
      "Coton-tiges",
      "Rasoirs jetables",
    ],
    vatRate: 20,
    purchasePrice: [0.8, 8],
    shelfLifeDays: null,
    kgShare: 0,
    velocity: [0.1, 0.4],
    eventEffects: { SOLDES: 1.1, LOCAL: 1.2 },
    promoElasticity: [1.5, 3],
  },
  {
    key: "toys",
    name: "Jouets",
    parent: "Non alimentaire",
    weekly: [0.7, 0.7, 1.1, 0.8, 1.0, 1.9, 0.8],
    yearlyBumps: [
      [345, 14, 5],
      [320, 25, 0.8],
    ],
    names: [
      "Puzzle 500 pièces",
      "Voiture miniature",
      "Poupée",
      "Jeu de société",
      "Peluche ours",
      "Ballon de foot",
      "Coffret de construction",
      "Pâte à modeler",
    ],
    vatRate: 20,
    purchasePrice: [3, 25],
    shelfLifeDays: null,
    kgShare: 0,
    velocity: [0.05, 0.3],
    eventEffects: { SOLDES: 1.3, VACANCES_SCOLAIRES: 1.15, LOCAL: 1.2 },
    promoElasticity: [1.5, 3],
  },
  {
    key: "school",
    name: "Fournitures scolaires",
    parent: "Non alimentaire",
    weekly: NONFOOD_WEEK,
    yearlyBumps: [
      [240, 9, 7],
      [8, 6, 0.6],
    ],
    names: [
      "Cahier 96 pages",
      "Stylos bille x4",
      "Classeur A4",
      "Trousse",
      "Crayons de couleur",
      "Cartable",
      "Règle 30cm",
      "Copies doubles",
    ],
    vatRate: 20,
    purchasePrice: [0.5, 15],
    shelfLifeDays: null,
    kgShare: 0,
    velocity: [0.05, 0.35],
    eventEffects: { LOCAL: 1.1 },
    promoElasticity: [1.5, 3],
  },
  {
    key: "garden",
    name: "Jardin",
    parent: "Non alimentaire",
    weekly: [0.7, 0.75, 0.9, 0.85, 1.0, 2.0, 0.8],
    yearlyBumps: [[120, 30, 2.2]],
    names: [
      "Terreau 40L",
      "Graines de tomates",
      "Gants de jardin",
      "Arrosoir",
      "Engrais universel",
      "Pot en terre cuite",
    ],
    vatRate: 20,
    purchasePrice: [1, 20],
    shelfLifeDays: null,
    kgShare: 0,
    velocity: [0.05, 0.3],
    eventEffects: { FERIE: 1.1, METEO: 0.8, LOCAL: 1.2 },
    promoElasticity: [1.5, 3],
  },
];

export interface StoreSpec {
  id: number;
  code: string;
  name: string;
  city: string;
  openingMask: string;
  /** Relative size: demand multiplier for every article. */
  size: number;
}

const CITIES = [
  "Lyon",
  "Villeurbanne",
  "Grenoble",
  "Annecy",
  "Chambéry",
  "Valence",
  "Saint-Étienne",
  "Bourg-en-Bresse",
  "Vienne",
  "Mâcon",
];
const OPENING_MASKS = ["1111110", "0111111", "1111111", "1111110"];

export function buildStores(count: number, rng: Rng): StoreSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    code: `MAG${String(i + 1).padStart(2, "0")}`,
    name: `Optiflow Market ${CITIES[i % CITIES.length]}${i >= CITIES.length ? ` ${Math.floor(i / CITIES.length) + 1}` : ""}`,
    city: CITIES[i % CITIES.length] as string,
    openingMask: OPENING_MASKS[i % OPENING_MASKS.length] as string,
    size: i === 0 ? 1 : uniform(rng, 0.5, 1.3),
  }));
}

export interface SupplierSpec {
  id: number;
  name: string;
  categoryKeys: readonly string[];
  leadTimeDays: number;
  orderMask: string;
  francoEur: number | null;
  /** Probability that a delivery arrives late, and of a partial delivery. */
  lateRate: number;
  partialRate: number;
}

const SUPPLIER_DEFS: ReadonlyArray<[string, readonly string[], number, string]> = [
  ["Primeurs du Rhône", ["fresh"], 1, "1111110"],
  ["Laiterie des Alpes", ["dairy"], 2, "1010100"],
  ["Grossiste Alimentaire Centre", ["grocery", "frozen"], 4, "1001000"],
  ["Épices & Conserves SA", ["grocery"], 6, "0100000"],
  ["Boissons Distribution", ["beverages"], 3, "1001000"],
  ["Caves Beaujolaises", ["beverages"], 8, "0010000"],
  ["Froid Express", ["frozen"], 3, "0100100"],
  ["Hygiène Pro", ["hygiene"], 7, "1000000"],
  ["Ludique Import", ["toys"], 14, "0001000"],
  ["Papeterie Moderne", ["school"], 10, "1000000"],
  ["Jardin Service", ["garden"], 6, "0010000"],
];

export function buildSuppliers(rng: Rng): SupplierSpec[] {
  return SUPPLIER_DEFS.map(([name, categoryKeys, leadTimeDays, orderMask], i) => ({
    id: i + 1,
    name,
    categoryKeys,
    leadTimeDays,
    orderMask,
    francoEur: chance(rng, 0.6) ? integer(rng, 10, 40) * 10 : null,
    lateRate: uniform(rng, 0.04, 0.12),
    partialRate: uniform(rng, 0.02, 0.06),
  }));
}

export type Velocity = "fast" | "medium" | "slow";

export interface ArticleSpec {
  id: number;
  reference: string;
  ean: string;
  name: string;
  category: CategoryProfile;
  categoryId: number;
  supplier: SupplierSpec;
  unit: "u" | "kg";
  purchasePrice: number;
  shelfPrice: number;
  packSize: number;
  minimumOrder: number;
  leadTimeOverride: number | null;
  shelfLifeDays: number | null;
  legacySafetyStock: number | null;
  velocity: Velocity;
  /** Mean daily demand in a size-1 store at the start, before any multiplier. */
  baseRate: number;
  /** Log-trend per year. */
  trendPerYear: number;
  /** Day numbers: first day listed, and day delisted (null = still active). */
  startDay: number;
  endDay: number | null;
  promoElasticity: number;
  priceElasticity: number;
  /** Day-to-day overdispersion: gamma shape of the demand noise (lower = noisier). */
  noiseShape: number;
}

export function eanWithCheckDigit(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body12[i]) * (i % 2 === 0 ? 1 : 3);
  return body12 + String((10 - (sum % 10)) % 10);
}

const BRANDS = [
  "Marque Repère",
  "Les Halles",
  "Bon Goût",
  "Nature & Co",
  "Délices d'Antan",
  "Premier Prix",
  "Saveurs du Sud",
  "Maison Martin",
];

export function buildArticle(
  id: number,
  rng: Rng,
  category: CategoryProfile,
  categoryId: number,
  suppliers: readonly SupplierSpec[],
  historyStart: number,
  today: number,
): ArticleSpec {
  const candidates = suppliers.filter((s) => s.categoryKeys.includes(category.key));
  const supplier = pick(rng, candidates.length > 0 ? candidates : suppliers);
  const roll = rng();
  const velocity: Velocity =
    roll < category.velocity[0]
      ? "fast"
      : roll < category.velocity[0] + category.velocity[1]
        ? "medium"
        : "slow";
  const baseRate =
    velocity === "fast"
      ? Math.exp(uniform(rng, Math.log(8), Math.log(60)))
      : velocity === "medium"
        ? Math.exp(uniform(rng, Math.log(1), Math.log(8)))
        : Math.exp(uniform(rng, Math.log(0.04), Math.log(0.9)));
  const unit = chance(rng, category.kgShare) ? "kg" : "u";
  const purchasePrice = round2(uniform(rng, category.purchasePrice[0], category.purchasePrice[1]));
  const packSize =
    unit === "kg"
      ? pick(rng, [1, 5, 10])
      : velocity === "slow"
        ? pick(rng, [1, 1, 2, 3])
        : pick(rng, [1, 6, 6, 12, 24]);
  const historyDays = today - historyStart;
  const isNew = chance(rng, 0.06);
  const startDay = isNew ? today - integer(rng, 20, 120) : historyStart;
  const isDelisted = !isNew && chance(rng, 0.04);
  const endDay = isDelisted
    ? historyStart + integer(rng, Math.floor(historyDays * 0.3), historyDays - 30)
    : null;
  const base = pick(rng, category.names);
  return {
    id,
    reference: `ART-${String(id).padStart(6, "0")}`,
    ean: eanWithCheckDigit(`376${String(100000000 + id * 7919).slice(-9)}`),
    name: `${base} ${pick(rng, BRANDS)}`,
    category,
    categoryId,
    supplier,
    unit,
    purchasePrice,
    shelfPrice: round2(purchasePrice * uniform(rng, 1.25, 1.9) * (1 + category.vatRate / 100)),
    packSize,
    minimumOrder: chance(rng, 0.25) ? packSize * integer(rng, 2, 4) : 0,
    leadTimeOverride: chance(rng, 0.15) ? supplier.leadTimeDays + integer(rng, 1, 5) : null,
    shelfLifeDays: category.shelfLifeDays
      ? integer(rng, category.shelfLifeDays[0], category.shelfLifeDays[1])
      : null,
    legacySafetyStock: chance(rng, 0.3) ? Math.ceil(baseRate * 2) : null,
    velocity,
    baseRate,
    trendPerYear: Math.max(-0.5, Math.min(0.5, normal(rng) * 0.15)),
    startDay,
    endDay,
    promoElasticity: uniform(rng, category.promoElasticity[0], category.promoElasticity[1]),
    priceElasticity: uniform(rng, 0.5, 2),
    noiseShape: velocity === "fast" ? uniform(rng, 8, 30) : uniform(rng, 2, 10),
  };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
