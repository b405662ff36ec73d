import { dayFromIso, isoFromDay } from "../../domain/calendar/days.js";
import type { TreeEnsemble } from "../../domain/forecast/boosted-trees.js";
import type { StoreSelection } from "../../domain/forecast/forecast-store.js";
import type { PooledFit } from "../../domain/forecast/pooled-model.js";
import {
  DEFAULT_MODEL,
  type DefaultModels,
  type SeriesChoice,
} from "../../domain/forecast/select-model.js";
import type { Db } from "../open.js";

/** A store's selection and the night (day number) it was made on. */
export interface SavedSelection {
  storeId: number;
  day: number;
  selection: StoreSelection;
}

/**
 * The saved selections made by `pipeline` (a description of the pipeline: another one's choices
 * are not this one's). A row that cannot be read back is skipped: its store is selected again,
 * which is what a missing row means anyway.
 */
export function readModelChoices(db: Db, pipeline: string): SavedSelection[] {
  const rows = db
    .prepare(
      "SELECT magasin_id, selected_on, selection FROM optiflow_history_model_choices WHERE pipeline = ? ORDER BY magasin_id",
    )
    .raw(true)
    .all(pipeline) as [number, string, string][];
  const saved: SavedSelection[] = [];
  for (const [storeId, selectedOn, text] of rows) {
    try {
      saved.push({ storeId, day: dayFromIso(selectedOn), selection: decode(text) });
    } catch {
      // Unreadable: left for the store's next selection to replace.
    }
  }
  return saved;
}

/** Replaces the saved selection of each store given, in one transaction. */
export function saveModelChoices(db: Db, pipeline: string, selections: readonly SavedSelection[]) {
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO optiflow_history_model_choices (magasin_id, selected_on, pipeline, selection)
     VALUES (?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const { storeId, day, selection } of selections)
      upsert.run(storeId, isoFromDay(day), pipeline, encode(selection));
  })();
}

/**
 * JSON, typed arrays as plain arrays. Not V8's serialisation: it reads a typed array back as a
 * view into a shared buffer (8 KB, or the whole row), which every later copy — to the worker
 * threads and back — then carries whole: 10,000 choices held 230 MB instead of 10.
 */
function encode(selection: StoreSelection): string {
  return JSON.stringify({
    defaultModels: selection.defaultModels,
    pooled: selection.pooled && {
      ...selection.pooled,
      coefficients: [...selection.pooled.coefficients],
      trees: selection.pooled.trees && encodeTrees(selection.pooled.trees),
    },
    choices: [...selection.choices].map(([key, c]) => [
      key,
      { ...c, backtestWeeks: [...c.backtestWeeks], quietWeeks: [...c.quietWeeks] },
    ]),
  });
}

/** Plain arrays; a node that did not split has threshold +∞, which JSON writes as null. */
interface StoredTrees {
  depth: number;
  feature: number[];
  threshold: (number | null)[];
  leaf: number[];
}

function encodeTrees(trees: TreeEnsemble): StoredTrees {
  return {
    depth: trees.depth,
    feature: [...trees.feature],
    threshold: [...trees.threshold].map((t) => (Number.isFinite(t) ? t : null)),
    leaf: [...trees.leaf],
  };
}

function decodeTrees(stored: StoredTrees): TreeEnsemble {
  return {
    depth: stored.depth,
    feature: Int32Array.from(stored.feature),
    threshold: Float64Array.from(stored.threshold, (t) => t ?? Number.POSITIVE_INFINITY),
    leaf: Float64Array.from(stored.leaf),
  };
}

interface Stored {
  defaultModels?: DefaultModels;
  /** Selections saved before demand classes had their own defaults. */
  defaultModel?: string;
  pooled:
    | (Omit<PooledFit, "coefficients" | "trees"> & {
        coefficients: number[];
        trees?: StoredTrees | null;
      })
    | null;
  choices: [
    string,
    Omit<SeriesChoice, "backtestWeeks" | "quietWeeks"> & {
      backtestWeeks: number[];
      /** Absent from selections saved before quiet series had their own factor. */
      quietWeeks?: number[];
    },
  ][];
}

function decode(text: string): StoreSelection {
  const stored = JSON.parse(text) as Stored;
  // Versions before the fix of pooled-model.ts saved a fit on too few rows as zero coefficients
  // with its rows counted: a model forecasting 1 unit a day that a slow article may have chosen.
  // Such a selection is not served its last nights: the store is selected again.
  if (stored.pooled && stored.pooled.rows > 0 && stored.pooled.coefficients.every((c) => c === 0))
    throw new Error("a saved pooled fit without coefficients");
  return {
    defaultModels: stored.defaultModels ?? {
      store: stored.defaultModel ?? DEFAULT_MODEL,
      byClass: {},
    },
    pooled: stored.pooled && {
      ...stored.pooled,
      coefficients: Float64Array.from(stored.pooled.coefficients),
      trees: stored.pooled.trees ? decodeTrees(stored.pooled.trees) : null,
    },
    choices: new Map(
      stored.choices.map(([key, c]) => [
        key,
        {
          ...c,
          backtestWeeks: Float64Array.from(c.backtestWeeks),
          quietWeeks: Float64Array.from(c.quietWeeks ?? []),
        },
      ]),
    ),
  };
}
