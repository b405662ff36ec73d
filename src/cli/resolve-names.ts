import type { Db } from "../data/open.js";
import { CliError } from "./cli-error.js";

/**
 * What people type on the command line: an article's reference (or its id), a store's code (or
 * its id), a category's name (or its id). Unknown names are an error naming the option.
 */
export function resolveArticle(db: Db, value: string, option: string): number {
  const row = (db.prepare("SELECT id FROM articles WHERE reference = ?").get(value) ??
    (/^\d+$/.test(value)
      ? db.prepare("SELECT id FROM articles WHERE id = ?").get(Number(value))
      : undefined)) as { id: number } | undefined;
  if (!row) throw new CliError(`${option}: no article with reference or id "${value}"`, 2);
  return row.id;
}

export function resolveStore(db: Db, value: string, option: string): number {
  const row = (db.prepare("SELECT id FROM magasins WHERE code = ?").get(value) ??
    (/^\d+$/.test(value)
      ? db.prepare("SELECT id FROM magasins WHERE id = ?").get(Number(value))
      : undefined)) as { id: number } | undefined;
  if (!row) throw new CliError(`${option}: no store with code or id "${value}"`, 2);
  return row.id;
}

export function resolveCategory(db: Db, value: string, option: string): number {
  const row = (db.prepare("SELECT id FROM categories WHERE nom = ?").get(value) ??
    (/^\d+$/.test(value)
      ? db.prepare("SELECT id FROM categories WHERE id = ?").get(Number(value))
      : undefined)) as { id: number } | undefined;
  if (!row) throw new CliError(`${option}: no category with name or id "${value}"`, 2);
  return row.id;
}
