import type { Db } from "../data/open.js";
import { CliError } from "./cli-error.js";

/**
 * What people type on the command line: an article's reference, a store's code, a category's or
 * a supplier's name, or the row's id. Unknown names are an error naming the option.
 */
const LOOKUPS = {
  article: { table: "articles", column: "reference", says: "article with reference or id" },
  store: { table: "magasins", column: "code", says: "store with code or id" },
  category: { table: "categories", column: "nom", says: "category with name or id" },
  supplier: { table: "fournisseurs", column: "nom", says: "supplier with name or id" },
} as const;

/** The row's id; the table and column come from LOOKUPS, never from the user. */
function resolve(db: Db, kind: keyof typeof LOOKUPS, value: string, option: string): number {
  const { table, column, says } = LOOKUPS[kind];
  const row = (db.prepare(`SELECT id FROM ${table} WHERE ${column} = ?`).get(value) ??
    (/^\d+$/.test(value)
      ? db.prepare(`SELECT id FROM ${table} WHERE id = ?`).get(Number(value))
      : undefined)) as { id: number } | undefined;
  if (!row) throw new CliError(`${option}: no ${says} "${value}"`, 2);
  return row.id;
}

export function resolveArticle(db: Db, value: string, option: string): number {
  return resolve(db, "article", value, option);
}

export function resolveStore(db: Db, value: string, option: string): number {
  return resolve(db, "store", value, option);
}

export function resolveCategory(db: Db, value: string, option: string): number {
  return resolve(db, "category", value, option);
}

export function resolveSupplier(db: Db, value: string, option: string): number {
  return resolve(db, "supplier", value, option);
}
