import { COUNTRIES, type Country } from "../calendar/store-events.js";
import { InputError } from "../input-error.js";
import type { ServiceLevels } from "../replenishment/abc-xyz.js";

/**
 * The settings users may change (an admin, on the page or with `optiflow settings set`), each
 * with its default, its accepted values and what it is for. Stored as text in optiflow_settings;
 * read with their defaults, a value that no longer validates falls back to the default.
 */
export const ORDER_POLICIES = ["marge", "niveau_de_service"] as const;
export type OrderPolicy = (typeof ORDER_POLICIES)[number];

export interface Settings {
  marginPct: number;
  countOpenOrders: boolean;
  orderPolicy: OrderPolicy;
  serviceLevels: ServiceLevels;
  country: Country;
  /** Yearly cost of holding stock, as a share of its value (the savings' formula, issue 15). */
  carryingCostRate: number;
}

interface SettingDefinition {
  default: string;
  /** What is accepted, in words (error messages and `settings list`). */
  accepted: string;
  /**
   * The same, for the pages to say in the reader's language: a range of numbers, or the values
   * to choose from.
   */
  accepts: { min: number; max: number } | { choices: readonly string[] };
  description: string;
  /** The normalised stored text, or null when refused. */
  parse: (value: string) => string | null;
}

/** A percentage within [min, max]: its words, its range and its parser from the same figures. */
const percent = (min: number, max: number, unit = "a percentage") => ({
  accepted: `${unit} from ${min} to ${max}`,
  accepts: { min, max },
  parse: (value: string) => {
    const n = Number(value.trim().replace(",", "."));
    return value.trim() !== "" && Number.isFinite(n) && n >= min && n <= max ? String(n) : null;
  },
});

/** One of fixed values, written as they are stored. */
const oneOf = (choices: readonly string[]) => ({
  accepted: choices.join(" or "),
  accepts: { choices },
  parse: (value: string) => {
    const v = value.trim();
    return choices.includes(v) ? v : null;
  },
});

const BOOLEAN: Record<string, string> = {
  true: "true",
  false: "false",
  oui: "true",
  non: "false",
  yes: "true",
  no: "false",
  "1": "true",
  "0": "false",
};

export const SETTING_DEFINITIONS = {
  margin_pct: {
    default: "10",
    ...percent(-100, 500),
    description: "safety margin of the brief's quantity (SPEC §4)",
  },
  count_open_orders: {
    default: "true",
    accepted: "true or false",
    accepts: { choices: ["true", "false"] },
    description: "count open purchase orders in stock_actuel, so nothing is ordered twice",
    parse: (value: string) => BOOLEAN[value.trim().toLowerCase()] ?? null,
  },
  order_policy: {
    default: "marge",
    ...oneOf(ORDER_POLICIES),
    description: "which quantity the nightly suggestions and the draft order use",
  },
  service_level_a: {
    default: "98",
    ...percent(50, 99.9),
    description: "service level of class A articles (top 80% of the sales value)",
  },
  service_level_b: {
    default: "95",
    ...percent(50, 99.9),
    description: "service level of class B articles (the next 15%)",
  },
  service_level_c: {
    default: "90",
    ...percent(50, 99.9),
    description: "service level of class C articles (the rest)",
  },
  country: {
    default: "FR",
    ...oneOf(COUNTRIES),
    description: "whose public holidays enter the calendars (unless the legacy events list them)",
  },
  carrying_cost_rate: {
    default: "20",
    ...percent(0, 100, "a percentage per year"),
    description: "cost of holding stock per year, as a share of its value (savings)",
  },
} satisfies Record<string, SettingDefinition>;

export type SettingKey = keyof typeof SETTING_DEFINITIONS;
export const SETTING_KEYS = Object.keys(SETTING_DEFINITIONS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as string[]).includes(key);
}

/** The stored text for `value`, or an InputError naming the key and what it accepts. */
export function parseSetting(key: string, value: string): { key: SettingKey; value: string } {
  if (!isSettingKey(key))
    throw new InputError("key", `unknown setting "${key}" (one of ${SETTING_KEYS.join(", ")})`);
  const definition = SETTING_DEFINITIONS[key] as SettingDefinition;
  const parsed = definition.parse(value);
  if (parsed === null)
    throw new InputError(key, `"${value}" is not accepted: ${definition.accepted}`);
  return { key, value: parsed };
}

/** Typed settings from the stored text: defaults for what is absent or no longer valid. */
export function settingsFrom(stored: ReadonlyMap<string, string>): Settings {
  const get = (key: SettingKey) => {
    const definition = SETTING_DEFINITIONS[key] as SettingDefinition;
    const raw = stored.get(key);
    return (raw === undefined ? null : definition.parse(raw)) ?? definition.default;
  };
  return {
    marginPct: Number(get("margin_pct")),
    countOpenOrders: get("count_open_orders") === "true",
    orderPolicy: get("order_policy") as OrderPolicy,
    serviceLevels: {
      A: Number(get("service_level_a")) / 100,
      B: Number(get("service_level_b")) / 100,
      C: Number(get("service_level_c")) / 100,
    },
    country: get("country") as Country,
    carryingCostRate: Number(get("carrying_cost_rate")) / 100,
  };
}
