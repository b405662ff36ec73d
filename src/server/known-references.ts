import type { Db } from "../data/open.js";
import {
  articleExists,
  categoryExists,
  storeExists,
  supplierExists,
} from "../data/optiflow/user-input-repository.js";
import { invalidField } from "./api-error.js";

/** The ids a read route filters on (its query string's names). */
export interface FilterReferences {
  article?: number;
  store?: number;
  category?: number;
  supplier?: number;
}

/**
 * Refuses, naming it, an id the base has no row for: filtered on it, the answer would be empty,
 * which a script (or a bookmarked address) reads as "nothing to order" rather than as its typo.
 */
export function requireKnownReferences(db: Db, refs: FilterReferences): void {
  const { article, store, category, supplier } = refs;
  if (article !== undefined && !articleExists(db, article))
    throw invalidField("querystring/article", `no article with id ${article}`, "unknown_article");
  if (store !== undefined && !storeExists(db, store))
    throw invalidField("querystring/store", `no store with id ${store}`, "unknown_store");
  if (category !== undefined && !categoryExists(db, category))
    throw invalidField("querystring/category", `no category with id ${category}`);
  if (supplier !== undefined && !supplierExists(db, supplier))
    throw invalidField("querystring/supplier", `no supplier with id ${supplier}`);
}
